package dev.handoff.servicekit;

/** A child JVM for {@link CrashPointsTest}: reaches two points and says after each that it went on. */
public final class CrashPointsProbe {

    private CrashPointsProbe() {
    }

    public static void main(String[] args) {
        for (String point : new String[] {"committed:NodeRequested", "published:NodeRequested"}) {
            CrashPoints.reached(point);
            System.out.println("passed " + point);
            System.out.flush();
        }
    }
}
