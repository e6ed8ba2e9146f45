package dev.vigil.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.vigil.core.TenantId;
import dev.vigil.inputs.DecodeResult;
import dev.vigil.inputs.HecDecoder;
import dev.vigil.inputs.HecMetadata;
import dev.vigil.inputs.NdjsonDecoder;
import dev.vigil.inputs.OtlpLogsDecoder;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.Locale;
import java.util.Random;
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

/**
 * Events per second through the HTTP input decoders, one request body of {@value #EVENTS} generated events per
 * invocation (scores are events/s): NDJSON of Suricata EVE alerts, HEC {@code /event} bodies whose events are sshd
 * syslog lines (sourcetype {@code syslog}), and OTLP protobuf requests with resource and record attributes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx512m", "-XX:+UseParallelGC"})
@Warmup(iterations = 6, time = 3)
@Measurement(iterations = 3, time = 5)
public class InputDecodersBenchmark {
    static final int EVENTS = 1000;
    private static final TenantId TENANT = TenantId.of("bench");

    private final NdjsonDecoder ndjson = new NdjsonDecoder();
    private final HecDecoder hec = new HecDecoder();
    private final OtlpLogsDecoder otlp = new OtlpLogsDecoder();
    private byte[] ndjsonBody;
    private byte[] hecBody;
    private byte[] otlpBody;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        StringBuilder nd = new StringBuilder();
        StringBuilder he = new StringBuilder();
        ScopeLogs.Builder scope = ScopeLogs.newBuilder();
        for (int i = 0; i < EVENTS; i++) {
            String src = "10.0." + random.nextInt(256) + "." + random.nextInt(256);
            nd.append(String.format(
                    Locale.ROOT,
                    "{\"timestamp\":\"2024-05-01T10:00:%02d.000000+0000\",\"flow_id\":%d,\"event_type\":\"alert\","
                            + "\"src_ip\":\"%s\",\"src_port\":%d,\"dest_ip\":\"192.0.2.10\",\"dest_port\":443,"
                            + "\"proto\":\"TCP\",\"alert\":{\"action\":\"allowed\",\"signature_id\":%d,"
                            + "\"signature\":\"ET POLICY test %d\",\"category\":\"Misc\",\"severity\":2}}\n",
                    i % 60,
                    random.nextLong() & Long.MAX_VALUE,
                    src,
                    1024 + random.nextInt(60000),
                    2000000 + i,
                    i));
            he.append("{\"time\":")
                    .append(1700000000 + i)
                    .append(",\"host\":\"bastion\",\"sourcetype\":\"syslog\",\"event\":\"<38>Nov 14 22:13:")
                    .append(String.format(Locale.ROOT, "%02d", i % 60))
                    .append(" bastion sshd[")
                    .append(1000 + i)
                    .append("]: Failed password for invalid user u")
                    .append(i)
                    .append(" from ")
                    .append(src)
                    .append(" port 50022 ssh2\"}\n");
            scope.addLogRecords(LogRecord.newBuilder()
                    .setTimeUnixNano(1_700_000_000_000_000_000L + i * 1_000_000L)
                    .setSeverityText("WARN")
                    .setSeverityNumberValue(13)
                    .setBody(str("login failed for user u" + i + " from " + src))
                    .addAttributes(kv("user.name", str("u" + i)))
                    .addAttributes(kv("source.ip", str(src))));
        }
        ndjsonBody = nd.toString().getBytes(UTF_8);
        hecBody = he.toString().getBytes(UTF_8);
        otlpBody = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(Resource.newBuilder()
                                .addAttributes(kv("service.name", str("auth-api")))
                                .addAttributes(kv("host.name", str("node-7"))))
                        .addScopeLogs(scope))
                .build()
                .toByteArray();
        check(ndjson.decode(TENANT, ndjsonBody, "bench"));
        check(hec.decodeEvent(TENANT, hecBody, HecMetadata.NONE));
        check(otlp.decodeProtobuf(TENANT, otlpBody));
    }

    private static void check(DecodeResult r) {
        if (r.events().size() != EVENTS || !r.rejected().isEmpty()) {
            throw new IllegalStateException("benchmark input does not decode cleanly: " + r.rejected());
        }
    }

    private static KeyValue kv(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    private static AnyValue str(String s) {
        return AnyValue.newBuilder().setStringValue(s).build();
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public DecodeResult ndjsonEve() {
        return ndjson.decode(TENANT, ndjsonBody, "bench");
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public DecodeResult hecSyslogEvents() {
        return hec.decodeEvent(TENANT, hecBody, HecMetadata.NONE);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public DecodeResult otlpProtobuf() {
        return otlp.decodeProtobuf(TENANT, otlpBody);
    }
}
