package dev.vigil.lambda;

import dev.vigil.core.engine.Timer;
import dev.vigil.core.store.RuntimeStore;
import java.time.Clock;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The one place the functions' store is made. Production: the DynamoDB store with EventBridge Scheduler timers
 * ({@code docs/aws-state.md}); tests hand in any {@link RuntimeStore}.
 */
final class StoreFactory {
    /**
     * A store, and how a fired schedule's timer reaches its timer store: Scheduler timers are handed in with
     * {@code SchedulerTimers.deliver}; a store that keeps timers itself takes it with {@code schedule}.
     */
    record Store(RuntimeStore store, Consumer<Timer> timerInbox, AutoCloseable resources) {
        /** A store whose timers are its own (SQLite in tests): a fired timer is scheduled there, already due. */
        static Store of(RuntimeStore store) {
            return new Store(store, store.timers()::schedule, () -> {});
        }
    }

    private StoreFactory() {}

    /** The production store, from the template's environment. */
    static Store production(LambdaSettings s, AwsCredentialsProvider credentials, Clock clock) {
        LambdaSettings.required(s.table(), "VIGIL_TABLE");
        LambdaSettings.required(s.scheduleGroup(), "VIGIL_SCHEDULE_GROUP");
        LambdaSettings.required(s.timerFunctionArn(), "VIGIL_TIMER_FUNCTION_ARN");
        LambdaSettings.required(s.schedulerRoleArn(), "VIGIL_SCHEDULER_ROLE_ARN");
        throw new IllegalStateException("DynamoStore as RuntimeStore not yet available: the Lambda functions need"
                + " dev.vigil.aws.dynamo.DynamoStore to implement dev.vigil.core.store.RuntimeStore (branch dynrt)");
    }
}
