package dev.handoff.servicekit;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Says loudly at startup when crash points are armed, so an armed process is never mistaken for a normal one. */
@ApplicationScoped
public class CrashPointsWarning {

    private static final Logger LOG = Logger.getLogger(CrashPointsWarning.class);

    void onStart(@Observes StartupEvent event) {
        if (!CrashPoints.armed().isEmpty()) {
            LOG.warnf("crash points armed by %s: %s; this process halts itself there (tests only)",
                CrashPoints.ENV, CrashPoints.armed());
        }
        CrashPoints.armingFile().ifPresent(file -> LOG.warnf("crash points may be armed at run time in %s (%s); "
            + "this process halts itself at any point listed there (tests only)", file, CrashPoints.FILE_ENV));
    }
}
