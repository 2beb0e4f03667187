package dev.handoff.cli;

import dev.handoff.contracts.vocabulary.TaskStatus;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code handoff}: Handoff's public API from a terminal. */
@Command(name = "handoff", mixinStandardHelpOptions = true, version = "handoff 0.1.0",
    description = "Run coding agents on Handoff from the terminal.",
    subcommands = {HandoffCli.Login.class, HandoffCli.Projects.class, HandoffCli.Submit.class, HandoffCli.Say.class,
        HandoffCli.Answer.class, HandoffCli.Teams.class})
public final class HandoffCli {

    static final Duration POLL = Duration.ofMillis(300);

    /** The environment (config folder, HANDOFF_URL/HANDOFF_TOKEN); a field so tests can replace it. */
    static Map<String, String> env = System.getenv();

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new HandoffCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof CliException) {
                commandLine.getErr().println("handoff: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }

    /** Base for the commands that call the API with the saved token. */
    abstract static class ApiCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        ApiClient api() throws Exception {
            CliConfig config = CliConfig.load(env);
            return new ApiClient(config.url(), config.token());
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        /**
         * Streams the task's output (stdout) and its steps (stderr) until its next turn ends; exit 0 when it ended
         * normally.
         */
        int stream(ApiClient api, String taskId, String sessionId, long afterSeq, int turnsEndedBefore,
            StepPrinter steps) throws InterruptedException {
            String status = new TurnPrinter(api, out(), POLL).startAfter(afterSeq).withSteps(steps)
                .printUntilTurnEnds(taskId, sessionId, turnsEndedBefore);
            return TaskStatus.TURN_ENDED.wireName().equals(status) ? 0 : 1;
        }
    }

    @Command(name = "login", description = "Save the API URL and a personal API token (checked first). Without "
        + "--token the token is read from standard input, which keeps it out of the process list and shell history.")
    static final class Login extends ApiCommand {
        @Option(names = "--url", required = true, description = "Handoff's URL, e.g. http://127.0.0.1:8080")
        String url;

        @Option(names = "--token", description = "A personal API token (hnd_...); default: read from standard input")
        String token;

        @Override
        public Integer call() throws Exception {
            if (token == null) {
                java.io.Console console = System.console();
                token = console != null ? new String(console.readPassword("API token: "))
                    : new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                    java.nio.charset.StandardCharsets.UTF_8)).readLine();
                if (token == null || token.isBlank()) {
                    throw new CliException("no API token given (--token, or on standard input)");
                }
                token = token.strip();
            }
            JsonNode me = new ApiClient(url, token).get("/api/me");
            new CliConfig(url, token).save(env);
            out().println("Logged in to " + url + " as " + me.path("email").asText() + " (saved in "
                + CliConfig.file(env) + ")");
            return 0;
        }
    }

    @Command(name = "projects", description = "List your projects and your teams' projects.")
    static final class Projects extends ApiCommand {
        @Override
        public Integer call() throws Exception {
            JsonNode answer = api().get("/api/projects");
            JsonNode projects = answer.isArray() ? answer : answer.path("projects");
            if (projects.isEmpty()) {
                out().println("No projects yet.");
            }
            for (JsonNode project : projects) {
                String team = project.path("teamName").asText("");
                out().println(project.path("id").asText() + "  " + project.path("name").asText() + "  "
                    + project.path("repositoryUrl").asText() + " (" + project.path("defaultBranch").asText() + ")"
                    + (team.isEmpty() ? "" : "  [team " + team + "]"));
            }
            return 0;
        }
    }

    @Command(name = "teams", description = "List your teams and your role in each.")
    static final class Teams extends ApiCommand {
        @Override
        public Integer call() throws Exception {
            JsonNode teams = api().get("/api/teams");
            if (teams.isEmpty()) {
                out().println("No teams.");
            }
            for (JsonNode team : teams) {
                out().println(team.path("id").asText() + "  " + team.path("name").asText() + "  ("
                    + team.path("role").asText() + ")");
            }
            return 0;
        }
    }

    @Command(name = "submit", description = "Submit a task to a project and print the agent's output until its turn ends.")
    static final class Submit extends ApiCommand {
        @Parameters(index = "0", description = "The project's id")
        String project;

        @Parameters(index = "1", description = "What the agent should do")
        String description;

        @Option(names = "--agent", description = "The agent (default: the project's)")
        String agent;

        @Override
        public Integer call() throws Exception {
            ApiClient api = api();
            var body = ApiClient.JSON.createObjectNode().put("description", description);
            if (agent != null) {
                body.put("agent", agent);
            }
            JsonNode accepted = api.post("/api/projects/" + project + "/tasks", body);
            String taskId = accepted.path("taskId").asText();
            String sessionId = accepted.path("sessionId").asText();
            spec.commandLine().getErr().println("task " + taskId + " in session " + sessionId);
            return stream(api, taskId, sessionId, 1, 0, new StepPrinter(spec.commandLine().getErr()));
        }
    }

    @Command(name = "say", description = "Send a follow-up to a session's agent and print its answer until the turn ends.")
    static final class Say extends ApiCommand {
        @Parameters(index = "0", description = "The session's id")
        String session;

        @Parameters(index = "1", description = "The follow-up")
        String text;

        @Override
        public Integer call() throws Exception {
            ApiClient api = api();
            String taskId = api.get("/api/sessions/" + session + "/messages?after=0&limit=1").path("taskId").asText(null);
            if (taskId == null) {
                throw new CliException("the API did not name the session's task");
            }
            long lastSeq = new TurnPrinter(api, new PrintWriter(PrintWriter.nullWriter()), POLL)
                .printNew(taskId, session);
            JsonNode before = api.get("/api/tasks/" + taskId);
            int turnsEnded = TurnPrinter.turnsEnded(before);
            api.post("/api/sessions/" + session + "/messages", ApiClient.JSON.createObjectNode().put("text", text));
            return stream(api, taskId, session, lastSeq, turnsEnded,
                new StepPrinter(spec.commandLine().getErr()).startAfter(before));
        }
    }

    @Command(name = "answer", description = "Answer an agent's permission request with one of its options.")
    static final class Answer extends ApiCommand {
        @Parameters(index = "0", description = "The task's id")
        String task;

        @Parameters(index = "1", description = "The permission request's id")
        String requestId;

        @Parameters(index = "2", description = "The chosen option's id (e.g. allow_once, reject_once)")
        String optionId;

        @Override
        public Integer call() throws Exception {
            api().post("/api/tasks/" + task + "/permissions/" + requestId,
                ApiClient.JSON.createObjectNode().put("optionId", optionId));
            out().println("Answered " + requestId + ": " + optionId);
            return 0;
        }
    }
}
