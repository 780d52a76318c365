package dev.vigil.lambda;

import dev.vigil.aws.dynamo.DynamoSettings;
import dev.vigil.aws.dynamo.DynamoStore;
import dev.vigil.aws.dynamo.SchedulerTimers;
import dev.vigil.aws.dynamo.StateClients;
import dev.vigil.core.engine.Timer;
import dev.vigil.core.store.RuntimeStore;
import java.time.Clock;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;

/**
 * The one place the functions' store is made. Production: the DynamoDB table of the stack with its timers in
 * EventBridge Scheduler ({@code docs/aws-state.md}); tests hand in any {@link RuntimeStore}.
 */
final class StoreFactory {
    /**
     * A store, how a fired schedule's timer reaches its timer store, and what to close with it. Scheduler timers are
     * handed in with {@code SchedulerTimers.deliver}; a store that keeps timers itself takes it with {@code schedule}.
     */
    record Store(RuntimeStore store, Consumer<Timer> timerInbox, AutoCloseable resources) {
        /** A store whose timers are its own (SQLite, DynamoDB's table timers): a fired timer is scheduled there, due. */
        static Store of(RuntimeStore store) {
            return new Store(store, store.timers()::schedule, () -> {});
        }
    }

    private StoreFactory() {}

    /**
     * The production store, from the template's environment: {@code DynamoStore} on VIGIL_TABLE with
     * {@code SchedulerTimers} in VIGIL_SCHEDULE_GROUP, targeting VIGIL_TIMER_FUNCTION_ARN through
     * VIGIL_SCHEDULER_ROLE_ARN. One store per cold start (its claim holder id is random per instance). No call is made
     * here: the clients connect on first use.
     */
    static Store production(LambdaSettings s, AwsCredentialsProvider credentials, Clock clock) {
        String table = LambdaSettings.required(s.table(), "VIGIL_TABLE");
        String group = LambdaSettings.required(s.scheduleGroup(), "VIGIL_SCHEDULE_GROUP");
        String target = LambdaSettings.required(s.timerFunctionArn(), "VIGIL_TIMER_FUNCTION_ARN");
        String role = LambdaSettings.required(s.schedulerRoleArn(), "VIGIL_SCHEDULER_ROLE_ARN");
        Region region = Region.of(s.region());
        DynamoDbClient dynamo = StateClients.dynamo(region, s.endpoint(), credentials);
        SchedulerClient scheduler = StateClients.scheduler(region, s.endpoint(), credentials);
        SchedulerTimers timers = new SchedulerTimers(scheduler, group, target, role, clock);
        DynamoStore store = new DynamoStore(dynamo, table, DynamoSettings.defaults().withClock(clock).withLease(s.lease()), timers);
        return new Store(store, timers::deliver, () -> {
            scheduler.close();
            dynamo.close();
        });
    }
}
