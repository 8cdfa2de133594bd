package io.roentgen.cli;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT stop a server gracefully and let the command return 0 (a shutdown hook
 * alone would exit with 143); the hook stays as the fallback for any other exit.
 */
final class StopSignals {
    private StopSignals() {}

    static void install(Runnable stop) {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> new Thread(stop, "graceful-stop").start());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "stop-on-exit"));
    }
}
