package dev.vigil.live;

/**
 * Classes made to break the daemon's architecture rules, for {@code dev.vigil.arch.ArchitectureRulesBiteTest} only
 * (ArchitectureTest imports main classes alone, so these never reach it): each is in {@code dev.vigil.live} and uses
 * what only an adapter or the daemon's wiring may.
 */
final class ArchFixtures {
    private ArchFixtures() {}

    /** A loop class that makes its own SQS client. */
    static final class LoopThatCallsSqs {
        Object client() {
            return software.amazon.awssdk.services.sqs.SqsClient.builder();
        }
    }

    /** A loop class that connects the queue itself, rather than being handed a {@code Daemon.Queue}. */
    static final class LoopThatWiresTheQueue {
        Object source(dev.vigil.aws.sqs.SqsSource s) {
            return s;
        }
    }

    /** A loop class that serves HTTP and registers its own meters. */
    static final class LoopThatServes {
        Object serve() throws java.io.IOException {
            return com.sun.net.httpserver.HttpServer.create();
        }

        Object meters() {
            return new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        }
    }
}
