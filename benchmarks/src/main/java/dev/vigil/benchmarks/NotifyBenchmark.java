package dev.vigil.benchmarks;

import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Severity;
import dev.vigil.notify.BuiltinTemplates;
import dev.vigil.notify.ChannelTemplates;
import dev.vigil.notify.MessageLocale;
import dev.vigil.notify.MessageRenderer;
import dev.vigil.notify.Notification;
import dev.vigil.notify.RenderOptions;
import dev.vigil.notify.Route;
import dev.vigil.notify.Router;
import dev.vigil.notify.TemplateStyle;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The CPU side of notifications, on the pipeline's thread or a channel worker: routing a notification through 20
 * routes (tenants, severities, rule globs, kinds), and rendering it as DingTalk/WeCom markdown (zh-CN) and as an
 * e-mail (subject, text and HTML), over 256 synthetic alerts with six entities each, some hostile. One operation is
 * one notification.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx512m", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class NotifyBenchmark {
    private static final int N = 256;

    private Router router;
    private List<Notification> notifications;
    private ChannelTemplates markdown;
    private ChannelTemplates email;
    private final RenderOptions zh = new RenderOptions(MessageLocale.ZH_CN, ZoneId.of("Asia/Shanghai"));

    @Setup
    public void setUp() {
        Random random = new Random(6);
        Set<String> channels = new HashSet<>();
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String channel = "c" + (i % 6);
            channels.add(channel);
            routes.add(new Route(
                    "r" + i,
                    i % 3 == 0 ? Set.of() : Set.of(TenantId.of("t" + (i % 10))),
                    Severity.values()[i % 5],
                    i % 2 == 0 ? List.of() : List.of("proc_creation_win_*", "win_lsass_*", "*credential*"),
                    i % 4 == 0 ? Set.of(Notification.Kind.INCIDENT) : Set.of(),
                    List.of(channel),
                    i % 2 == 0 ? RenderOptions.DEFAULT : zh));
        }
        router = new Router(routes, channels);
        String[] rules = {"proc_creation_win_office_powershell", "win_lsass_access", "web_shell_upload", "dns_tunnel"};
        notifications = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            notifications.add(new Notification(
                    TenantId.of("t" + random.nextInt(10)),
                    random.nextInt(5) == 0 ? Notification.Kind.INCIDENT : Notification.Kind.ALERT,
                    "a-" + i,
                    "Suspicious activity " + i,
                    Severity.values()[random.nextInt(5)],
                    rules[random.nextInt(rules.length)],
                    "Rule title",
                    Instant.ofEpochSecond(1_760_000_000L + i),
                    List.of(
                            new Notification.Entity("host", "ws-" + random.nextInt(500)),
                            new Notification.Entity("user", "ACME\\user" + random.nextInt(100)),
                            new Notification.Entity(
                                    "src_ip", "10.0." + random.nextInt(256) + "." + random.nextInt(256)),
                            new Notification.Entity(
                                    "process", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"),
                            new Notification.Entity("url", "http://evil.example/[x](javascript:alert(" + i + "))"),
                            new Notification.Entity("hash", "d41d8cd98f00b204e9800998ecf8427e")),
                    List.of("execution", "credential-access"),
                    List.of("T1059.001", "T1003.001"),
                    URI.create("https://vigil.example.com/alerts/a-" + i),
                    Map.of("command_line", "powershell -nop -w hidden -enc <b>SQBFAFgA</b>")));
        }
        markdown = BuiltinTemplates.of(TemplateStyle.MARKDOWN, MessageLocale.ZH_CN);
        email = BuiltinTemplates.of(TemplateStyle.EMAIL, MessageLocale.EN);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void route(Blackhole bh) {
        for (Notification n : notifications) {
            bh.consume(router.route(n));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void renderMarkdownZh(Blackhole bh) {
        for (Notification n : notifications) {
            bh.consume(MessageRenderer.render(markdown, n, zh.locale(), zh.zone()));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void renderEmail(Blackhole bh) {
        for (Notification n : notifications) {
            bh.consume(MessageRenderer.render(email, n, MessageLocale.EN, RenderOptions.DEFAULT.zone()));
        }
    }
}
