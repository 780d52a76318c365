package dev.vigil.cli;

import dev.vigil.core.finding.Severity;
import dev.vigil.core.policy.PolicyException;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.output.AsffFinding;
import dev.vigil.output.DocumentLinesWriter;
import dev.vigil.output.HtmlReport;
import dev.vigil.output.JsonLinesWriter;
import dev.vigil.output.ReportWriter;
import dev.vigil.output.TextWriter;
import dev.vigil.replay.Replay;
import dev.vigil.replay.ReplayOptions;
import dev.vigil.replay.ReplayResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Run the policies over recorded inputs in event time; responses are planned, never executed (so no blast-radius limit).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:a finding at or above --fail-on", "2:bad usage or policy; a PATH that does not exist; unreadable input under --strict"})
final class ReplayCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    PolicyOptions.File policy;

    @CommandLine.Mixin
    PolicyOptions.Sigma sigma;

    @Option(names = "--inventory", paramLabel = "FILE", arity = "1..*",
            description = "JSON printed by aws ec2 describe-instances / describe-security-groups / describe-network-acls.")
    List<Path> inventory = new ArrayList<>();

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json|ocsf|asff",
            description = "Output format (default: ${DEFAULT-VALUE}): a table, JSON Lines, OCSF 1.3 Detection Findings or AWS Security Finding Format, one per line.")
    String format;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write a self-contained HTML report of the findings to FILE.")
    Path report;

    @Option(names = "--asff-account", paramLabel = "ID", description = "--format asff: the Security Hub account (product ARN; findings naming none). Default: 000000000000.")
    String asffAccount;

    @Option(names = "--asff-region", paramLabel = "REGION", description = "--format asff: the Security Hub region (product ARN; findings naming none). Default: us-east-1.")
    String asffRegion;

    @Option(names = "--until", paramLabel = "TIME", description = "Fire timers due up to this ISO-8601 time at the end of input.")
    String until;

    @Option(names = "--fail-on", paramLabel = "SEVERITY", description = "Exit 1 when a finding is at or above this severity.")
    String failOn;

    @Option(names = "--strict", description = "Exit 2 when any input could not be read or decoded.")
    boolean strict;

    @Option(names = "--year", paramLabel = "YYYY", description = "Year of syslog lines that carry none (default: from the file's modification time).")
    Integer year;

    @Option(names = "--instance", paramLabel = "ID", description = "Instance id of text sshd logs that name none (not in path, log stream or params.hosts).")
    String instance;

    @CommandLine.Mixin
    TerminalOptions terminalOptions;

    @Option(names = "--profile", paramLabel = "NAME", description = "AWS profile for s3:// inputs (default: the SDK's chain).")
    String profile;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "An S3-compatible endpoint for s3:// inputs.")
    java.net.URI endpoint;

    @Option(names = "--region", paramLabel = "REGION", description = "Region of s3:// inputs' buckets (default: the SDK's chain, else us-east-1).")
    String region;

    @CommandLine.Mixin
    LimitOptions limitOptions = new LimitOptions();

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files or directories of events, logs and inventory; - for standard input; s3://BUCKET/PREFIX for the objects under it.")
    List<Path> paths;

    @Override
    public Integer call() {
        PrintStream out = new PrintStream(new java.io.BufferedOutputStream(System.out, 1 << 16), false, java.nio.charset.StandardCharsets.UTF_8);
        PrintStream err = System.err;
        if (!List.of("text", "json", "ocsf", "asff").contains(format)) throw usage("--format must be text, json, ocsf or asff, not '" + format + "'");
        Terminal terminal = terminalOptions.terminal();
        dev.vigil.core.event.AccountId hubAccount = dev.vigil.core.event.AccountId.orNull(asffAccount == null ? "000000000000" : asffAccount);
        dev.vigil.core.event.Region hubRegion = dev.vigil.core.event.Region.orNull(asffRegion == null ? "us-east-1" : asffRegion);
        if (hubAccount == null) throw usage("--asff-account must be a 12-digit account id, not '" + asffAccount + "'");
        if (hubRegion == null) throw usage("--asff-region must be a region such as eu-west-1, not '" + asffRegion + "'");
        Severity fail = null;
        if (failOn != null) {
            fail = Severity.parse(failOn);
            if (fail == null) throw usage("--fail-on must be info, low, medium, high or critical, not '" + failOn + "'");
        }
        Instant end = null;
        if (until != null) end = parseTime(until);
        dev.vigil.decode.DecodeOptions.Limits limits = limitOptions.limits(spec.commandLine());
        if (paths.stream().filter(p -> p.equals(dev.vigil.replay.InputFiles.STDIN)).count() > 1) throw usage("'-' (standard input) may be given once");
        for (Path p : paths) { // a path that is not there is a mistake of the command line, not an unreadable input
            if (!p.equals(dev.vigil.replay.InputFiles.STDIN) && !dev.vigil.aws.S3Inputs.isS3(p) && !java.nio.file.Files.exists(p)) {
                err.println("vigil: " + p + ": no such file or directory");
                return 2;
            }
        }
        for (Path p : paths) {
            if (java.nio.file.Files.isDirectory(p) && dev.vigil.replay.InputFiles.of(List.of(p), (w, m) -> {}).events().isEmpty()) {
                err.println("vigil: " + p + ": no input files in this directory (hidden files, *.yaml, *.yml, *.md and policy test"
                        + " cases are not inputs)");
            }
        }
        PolicySet set;
        try {
            set = sigma.addTo(policy.load());
        } catch (PolicyException e) {
            err.println("vigil: " + e.getMessage());
            return 2;
        }
        ReportWriter writer = switch (format) {
            case "json" -> dev.vigil.output.AsyncReportWriter.of(JsonLinesWriter.buffered(out)); // findings written beside the engine
            case "ocsf" -> DocumentLinesWriter.ocsf(out, err);
            case "asff" -> DocumentLinesWriter.asff(out, err, new AsffFinding.Context(hubAccount, hubRegion, null));
            default -> new TextWriter(out, terminal.colour(), terminal.width());
        };
        HtmlReport html = report == null ? null : new HtmlReport(report);
        if (html != null) writer = ReportWriter.both(writer, html);
        ProgressBar bar = Main.terminal("stderr") ? new ProgressBar(err) : null;
        Problems problems = new Problems(err, bar == null ? () -> {} : bar::clear);
        Replay replay = new Replay(set, writer, problems, bar == null ? Replay.Progress.NONE : bar);
        if (html != null) replay = replay.withEventTap(html::event);
        dev.vigil.core.event.InstanceId inst = null;
        if (instance != null) {
            try {
                inst = dev.vigil.core.event.InstanceId.of(instance);
            } catch (IllegalArgumentException e) {
                throw usage("--instance must be an instance id such as i-0123456789abcdef0, not '" + instance + "'");
            }
        }
        dev.vigil.aws.S3Inputs s3 = paths.stream().anyMatch(dev.vigil.aws.S3Inputs::isS3) ? dev.vigil.aws.S3Inputs.create(region, profile, endpoint) : null;
        if (s3 != null) replay = replay.withRemoteInputs(s3);
        ReplayResult r;
        try {
            r = replay.run(new ReplayOptions(policy.path, inventory, paths, end, fail, strict, year, inst, limits));
        } finally {
            if (s3 != null) s3.close();
        }
        out.flush();
        if (html != null) {
            try {
                html.write();
            } catch (java.io.IOException e) {
                err.println("vigil: " + report + ": cannot write the report: " + e.getMessage());
                return 2;
            }
        }
        if (Boolean.getBoolean("vigil.stats")) err.println("vigil: stats: peak-heap-bytes=" + peakHeap() + " main-cpu-ns=" + mainCpu() + " process-cpu-ns=" + processCpu()
                + dev.vigil.decode.WorkerCpu.totals().entrySet().stream().map(e -> " " + e.getKey() + "-cpu-ns=" + e.getValue()).collect(java.util.stream.Collectors.joining()));
        return r.exitCode();
    }

    /** CPU time of this (the main) thread, which decodes and runs the policies; -1 when not measurable. */
    static long mainCpu() {
        var t = java.lang.management.ManagementFactory.getThreadMXBean();
        return t.isCurrentThreadCpuTimeSupported() ? t.getCurrentThreadCpuTime() : -1;
    }

    /** CPU time of the whole process (gunzip, GC and compiler threads too); -1 when not measurable. */
    static long processCpu() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    /** Sum of the heap pools' peak usage: what the benchmark reports as peak heap. */
    static long peakHeap() {
        long sum = 0;
        for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getPeakUsage() != null) sum += pool.getPeakUsage().getUsed();
        }
        return sum;
    }

    private Instant parseTime(String s) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                try {
                    return java.time.LocalDate.parse(s).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException e3) {
                    throw usage("--until must be an ISO-8601 time such as 2024-05-01T00:00:00Z, not '" + s + "'");
                }
            }
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
