package dev.vigil.replay;

import dev.vigil.app.DetectAndRespond;
import dev.vigil.core.engine.ActivePolicy;
import dev.vigil.core.engine.Engine;
import dev.vigil.core.engine.InMemoryTimerStore;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.core.policy.PolicyCompiler;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.core.response.Executor;
import dev.vigil.core.response.InMemoryActionLedger;
import dev.vigil.core.response.Responder;
import dev.vigil.decode.DecodeListener;
import dev.vigil.decode.DecodeOptions;
import dev.vigil.decode.InputDecoder;
import dev.vigil.inventory.AwsCliInventory;
import dev.vigil.output.ReportWriter;
import dev.vigil.output.RunSummary;
import dev.vigil.policy.Policies;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Offline replay: inventory first, then every input in order through the policies in event time; responses are
 * planned, never executed. Problems (bad input, a rule that threw) are one line each on {@code problems} and counted.
 */
public final class Replay {
    private final PolicySet policies;
    private final ReportWriter writer;
    private final BiConsumer<String, String> problems;
    private final Progress progress;
    private final java.util.function.Consumer<SecurityEvent> tap;
    private final RemoteInputs remote;

    public Replay(PolicySet policies, ReportWriter writer, BiConsumer<String, String> problems, Progress progress) {
        this(policies, writer, problems, progress, e -> {}, RemoteInputs.NONE);
    }

    private Replay(PolicySet policies, ReportWriter writer, BiConsumer<String, String> problems, Progress progress,
                   java.util.function.Consumer<SecurityEvent> tap, RemoteInputs remote) {
        this.policies = policies;
        this.writer = writer;
        this.problems = problems;
        this.progress = progress;
        this.tap = tap;
        this.remote = remote;
    }

    /** The same replay, also showing each decoded event to {@code tap} before the engine sees it (the HTML report). */
    public Replay withEventTap(java.util.function.Consumer<SecurityEvent> tap) {
        return new Replay(policies, writer, problems, progress, tap, remote);
    }

    /** The same replay, reading the inputs {@code remote} handles ({@code s3://bucket/prefix}) through it, after the local ones. */
    public Replay withRemoteInputs(RemoteInputs remote) {
        return new Replay(policies, writer, problems, progress, tap, remote);
    }

    /** Progress of a long replay (a bar on a terminal). */
    public interface Progress {
        Progress NONE = new Progress() {};

        default void start(int files) {}

        default void file(Path file, int index) {}

        default void events(long n) {}

        default void done() {}

        /** Bytes read of all inputs so far, of {@code total} (the files' sizes; standard input counts none). */
        default void bytes(long read, long total) {}
    }

    public ReplayResult run(ReplayOptions opts) {
        long[] errors = {0};
        long[] inputErrors = {0};
        BiConsumer<String, String> report = (where, msg) -> {
            errors[0]++;
            problems.accept(where, msg);
        };
        BiConsumer<String, String> inputProblem = (where, msg) -> {
            inputErrors[0]++;
            report.accept(where, msg);
        };

        List<Path> localInputs = new ArrayList<>();
        List<RemoteInputs.Item> remoteItems = new ArrayList<>();
        for (Path p : opts.inputs()) {
            if (remote.handles(p)) {
                List<RemoteInputs.Item> listed = remote.list(p, inputProblem);
                if (listed.isEmpty()) inputProblem.accept(p.toString().replaceFirst("^s3:/+", "s3://"), "no objects under this prefix");
                remoteItems.addAll(listed);
            } else {
                localInputs.add(p);
            }
        }
        InputFiles files = InputFiles.of(localInputs, inputProblem);
        StaticInventory inventory = StaticInventory.empty();
        List<Path> invFiles = new ArrayList<>(opts.inventory());
        invFiles.addAll(files.inventory());
        for (Path p : invFiles) AwsCliInventory.load(p, inventory, inputProblem);

        PolicyCompiler compiler = new PolicyCompiler(Policies.registry());
        List<ActivePolicy> active = policies.enabled().stream().map(d -> new ActivePolicy(d, compiler.instantiate(d))).toList();
        Responder responder = new Responder(policies.self(), policies.exemptions(), policies.targets(), new InMemoryActionLedger(),
                Executor.planning(), inventory);
        List<Finding> hits = new ArrayList<>();
        InMemoryTimerStore timers = new InMemoryTimerStore();
        Engine engine = new Engine(active, timers, inventory);
        // the same use case as the daemon's and Lambda's: nothing recorded but the output, no dedupe, event time
        DetectAndRespond useCase = new DetectAndRespond(engine, responder, timers, DetectAndRespond.Records.NONE, f -> {
            writer.finding(f);
            if (opts.failOn() != null && f.severity().atLeast(opts.failOn())) hits.add(f);
        }, report::accept, null);

        InputDecoder decoder = new InputDecoder(new DecodeOptions(requestFor(active), opts.year(), java.time.ZoneOffset.UTC,
                detailFor(active), fieldsFor(active)).withLimits(opts.limits())).preparing(prepareFor(active, opts.instance()))
                .withInstance(opts.instance()); // a text log's lines made with it: one copy a line less on the reading thread
        long[] inputs = {0};
        DecodeListener listener = new DecodeListener() {
            @Override
            public void onEvent(SecurityEvent event) {
                if (opts.instance() != null && event instanceof dev.vigil.core.event.SshLogLine l && l.instance() == null) {
                    event = l.withInstance(opts.instance());
                }
                tap.accept(event);
                useCase.accept(event, null);
                if ((engine.events() & 0x3fff) == 0) progress.events(engine.events());
            }

            @Override
            public void onError(String where, String message) {
                inputProblem.accept(where, message);
            }

            @Override
            public void onInput(String name) {
                inputs[0]++;
            }
        };
        progress.start(files.events().size() + remoteItems.size());
        long total = files.events().stream().mapToLong(Replay::size).sum() + remoteItems.stream().mapToLong(RemoteInputs.Item::size).sum();
        DecodeAhead.Body decoding = (direct, onMain) -> {
            DecodeListener out = direct;
            InputDecoder reading = decoder;
            if (direct != listener) { // decoding ahead: the detectors' pure per-event work too, once, on the decoding thread
                reading = decoder.onCallingThread();
                java.util.function.UnaryOperator<SecurityEvent> prepare = prepareFor(active, opts.instance());
                out = new DecodeListener() {
                    @Override
                    public void onEvent(SecurityEvent event) {
                        direct.onEvent(prepare.apply(event));
                    }

                    @Override
                    public void onError(String where, String message) {
                        direct.onError(where, message);
                    }

                    @Override
                    public void onInput(String name) {
                        direct.onInput(name);
                    }
                };
            }
            long before = 0;
            int i = 0;
            for (Path f : files.events()) {
                int index = i++;
                onMain.accept(() -> progress.file(f, index));
                long base = before;
                if (f.equals(InputFiles.STDIN)) reading.decode("-", System.in, out);
                // progress of bytes read comes from the thread reading the file (gunzip's for .gz), as it always did
                else reading.decode(f, out, n -> progress.bytes(base + n, total));
                before += size(f);
            }
            for (RemoteInputs.Item item : remoteItems) { // streamed, never stored
                int index = i++;
                onMain.accept(() -> progress.file(Path.of(item.name()), index));
                long base = before;
                try (java.io.InputStream in = InputDecoder.counting(remote.open(item), n -> progress.bytes(base + n, total))) {
                    reading.decode(item.name(), in, out);
                } catch (java.io.IOException | RuntimeException e) {
                    if (e instanceof DecodeAhead.Stopped s) throw s;
                    out.onInput(item.name());
                    out.onError(item.name(), "cannot read: " + String.valueOf(e.getMessage()).replaceAll("\\s+", " "));
                }
                before += item.size();
            }
        };
        if (files.events().contains(InputFiles.STDIN)) {
            decoding.run(listener, Runnable::run); // standard input may be a live pipe: each event as it comes
        } else {
            DecodeAhead.run(decoding, listener); // decoding on a core of its own, the policies on this thread
        }
        progress.done();
        useCase.finish(opts.until());

        Map<String, Long> extra = new LinkedHashMap<>();
        if (engine.duplicates() > 0) extra.put("duplicates", engine.duplicates());
        for (ActivePolicy p : active) {
            p.detector().counters().forEach((k, v) -> extra.merge(k, v, Long::sum));
        }
        RunSummary summary = new RunSummary(Math.max(inputs[0], files.events().size() + remoteItems.size()), engine.events(), engine.findings(), errors[0], extra);
        writer.summary(summary);
        int exit = opts.strict() && inputErrors[0] > 0 ? 2 : !hits.isEmpty() ? 1 : 0;
        return new ReplayResult(summary, !hits.isEmpty(), inputErrors[0], exit);
    }

    private static long size(Path f) {
        try {
            return f.equals(InputFiles.STDIN) ? 0 : java.nio.file.Files.size(f);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /**
     * What is done to each event on the decoding thread (replay's DecodeAhead, or for standard input the decoder's own
     * reading thread): --instance given to the lines that name none (as the listener would), then every enabled
     * detector's {@link dev.vigil.core.engine.Detector#prepare}, in turn.
     */
    static java.util.function.UnaryOperator<SecurityEvent> prepareFor(List<ActivePolicy> active, dev.vigil.core.event.InstanceId instance) {
        // only the detectors that prepare anything: the others' prepare is the default, the event itself (a call a
        // detector a line saved, on the thread that may bound a big replay)
        List<dev.vigil.core.engine.Detector> detectors = active.stream().map(ActivePolicy::detector).filter(Replay::prepares).toList();
        return e -> {
            if (instance != null && e instanceof dev.vigil.core.event.SshLogLine l && l.instance() == null) e = l.withInstance(instance);
            for (dev.vigil.core.engine.Detector d : detectors) e = d.prepare(e);
            return e;
        };
    }

    /** True unless the detector's {@code prepare} is {@link dev.vigil.core.engine.Detector}'s default (which returns the event). */
    static boolean prepares(dev.vigil.core.engine.Detector d) {
        try {
            return d.getClass().getMethod("prepare", SecurityEvent.class).getDeclaringClass() != dev.vigil.core.engine.Detector.class;
        } catch (NoSuchMethodException e) {
            return true;
        }
    }

    /** Other top-level CloudTrail fields some enabled detector reads (Sigma rules name them). */
    public static Set<String> fieldsFor(List<ActivePolicy> active) {
        Set<String> out = new HashSet<>();
        for (ActivePolicy p : active) out.addAll(p.detector().interest().fields());
        return out;
    }

    /**
     * CloudTrail event names whose {@code requestParameters}/{@code responseElements} some enabled detector reads
     * ({@link dev.vigil.core.engine.Interest#details()}; "*" means all): a subset of {@link #detailFor}'s.
     */
    public static Predicate<String> requestFor(List<ActivePolicy> active) {
        Set<String> names = new HashSet<>();
        for (ActivePolicy p : active) names.addAll(p.detector().interest().details());
        if (!active.isEmpty()) names.addAll(dev.vigil.core.inventory.LearnedTags.CALLS); // exemptions learnt from tags
        if (names.contains("*")) return n -> true;
        List<String> prefixes = names.stream().filter(n -> n.endsWith("*")).map(n -> n.substring(0, n.length() - 1)).toList();
        if (prefixes.isEmpty()) return names::contains;
        return n -> {
            if (names.contains(n)) return true;
            for (String p : prefixes) if (n.startsWith(p)) return true;
            return false;
        };
    }

    /** CloudTrail event names some enabled detector takes, read in full ("*" means all). */
    public static Predicate<String> detailFor(List<ActivePolicy> active) {
        Set<String> names = new HashSet<>();
        for (ActivePolicy p : active) names.addAll(p.detector().interest().calls());
        if (!active.isEmpty()) names.addAll(dev.vigil.core.inventory.LearnedTags.CALLS); // exemptions learnt from tags
        if (names.contains("*")) return n -> true;
        return names::contains;
    }
}
