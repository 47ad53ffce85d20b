package org.dtls4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.dtls4j.SharedKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dtls4j keys}: writes a fresh shared key file for the nodes of one service. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Write a new shared key file (mode 0600) for 'dtls4j server --keys FILE'; copy the same file to every node.")
final class KeysCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "The file to create; it must not exist.")
    Path out;

    @Override
    public Integer call() {
        SharedKeys.writeNew(out);
        System.out.println("wrote " + out + ": give every node the same file with 'dtls4j server --keys " + out + "'");
        return 0;
    }
}
