package dev.vigil.scenario.guardduty;

import static dev.vigil.scenario.guardduty.GdFixtures.*;

import dev.vigil.core.event.GuardDutyFinding;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.testing.EngineHarness;
import java.util.ArrayList;
import java.util.List;

/**
 * Throughput of the GuardDuty responder through the engine and responder (planning executor); a benchmark, not a
 * unit test. Run: {@code mvn -B -o -q package -DskipTests && java -cp target/vigil.jar:target/test-classes
 * dev.vigil.scenario.guardduty.GuardDutyBench [findings] [instances]}.
 * Findings cycle over the instances (each with two interfaces in two of 200 subnets), one update in four.
 */
public final class GuardDutyBench {
    private GuardDutyBench() {}

    public static void main(String[] args) {
        int findings = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int instances = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        int subnets = 200;
        StaticInventory inv = StaticInventory.empty();
        String[] subnetIds = new String[subnets];
        for (int s = 0; s < subnets; s++) subnetIds[s] = String.format("subnet-%017x", s + 1);
        inv.add(defaultAcl(subnetIds));
        String[] ids = new String[instances];
        for (int i = 0; i < instances; i++) {
            ids[i] = String.format("i-%017x", i + 1);
            inv.add(instance(ids[i], "host-" + i, "running", subnetIds[i % subnets], subnetIds[(i * 7 + 3) % subnets]));
        }
        List<GuardDutyFinding> events = new ArrayList<>(findings);
        for (int n = 0; n < findings; n++) {
            int i = n % instances;
            long count = n % 4 == 3 ? 2 : 1;
            String id = count == 2 ? "f" + (n - 1) : "f" + n;
            events.add(finding(detail(id, BITCOIN, 8, ids[i], count, subnetIds[i % subnets], subnetIds[(i * 7 + 3) % subnets]), T0.plusMillis(n)));
        }
        for (int round = 0; round < 3; round++) {
            EngineHarness h = EngineHarness.of(GuardDutyResponderTest.POLICY.formatted(""), inv);
            System.gc();
            long t0 = System.nanoTime();
            h.feed(events);
            long ns = System.nanoTime() - t0;
            long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            System.out.printf("round %d: %d findings, %d instances, %d subnets: %.0f ms, %.0f findings/s, %d reported, heap %d MB%n",
                    round + 1, findings, instances, subnets, ns / 1e6, findings / (ns / 1e9), h.findings.size(), heap >> 20);
        }
    }
}
