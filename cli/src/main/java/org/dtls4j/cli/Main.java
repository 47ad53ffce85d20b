package org.dtls4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dtls4j} command. */
@Command(name = "dtls4j", mixinStandardHelpOptions = true, version = "dtls4j 0.1.0-SNAPSHOT",
        description = "DTLS for Java with interchangeable backends.",
        subcommands = {ProvidersCommand.class, InteropCommand.class, ServerCommand.class, ClientCommand.class, BenchCommand.class,
                FuzzCommand.class, KeysCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        CommandLine cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("dtls4j: " + e.getMessage());
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
