package dev.vigil.inputs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.vigil.core.Event;
import dev.vigil.core.TenantId;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DecodersTest {
    private static final TenantId TENANT = TenantId.of("acme");

    @Test
    void ndjsonDecodesShapesAndRejectsBadLinesWithTheirNumbers() {
        String body = """
                {"@timestamp":"2024-05-01T10:00:00Z","event":{"code":"4688","provider":"Microsoft-Windows-Security-Auditing"},"winlog":{"channel":"Security","event_id":"4688","event_data":{"NewProcessName":"C:\\\\Windows\\\\System32\\\\cmd.exe","CommandLine":"cmd /c whoami"}},"host":{"name":"ws1"}}
                {"timestamp":"2024-05-01T10:00:01.000000+0000","event_type":"alert","src_ip":"10.0.0.5","src_port":51000,"dest_ip":"10.0.0.9","dest_port":22,"proto":"TCP","alert":{"signature":"ET SCAN ssh","severity":2}}
                {"broken":
                [1,2]

                {"ts":1714557600.5,"uid":"CXy","id.orig_h":"10.0.0.5","id.orig_p":5353,"id.resp_h":"10.0.0.9","id.resp_p":53,"proto":"udp","query":"example.org"}
                """;
        DecodeResult r = new NdjsonDecoder().decode(TENANT, body.getBytes(UTF_8), "http:ndjson");

        assertThat(r.events()).hasSize(3);
        assertThat(r.events()).allSatisfy(e -> assertThat(e.tenant()).isEqualTo(TENANT));
        Event windows = r.events().get(0);
        assertThat(windows.field("CommandLine")).isEqualTo("cmd /c whoami");
        assertThat(windows.logSource().product()).isEqualTo("windows");
        assertThat(r.events().get(1).field("source.ip")).isEqualTo("10.0.0.5");
        assertThat(r.events().get(1).source().record()).isEqualTo(2);
        assertThat(r.events().get(2).source().record()).isEqualTo(6);
        assertThat(r.rejected()).extracting(Rejection::line).containsExactly(3, 4);
        assertThat(r.rejected().get(0).reason()).startsWith("invalid JSON");
        assertThat(r.rejected().get(1).reason()).isEqualTo("not a JSON object but an array");
    }

    @Test
    void ndjsonRejectsOverlongAndTooDeepLines() {
        String deep = "[".repeat(70) + "]".repeat(70);
        String body = "{\"x\":\"" + "y".repeat(500) + "\"}\n" + deep + "\n{\"ok\":true}\n";
        DecodeResult r = new NdjsonDecoder(400).decode(TENANT, body.getBytes(UTF_8), "t");
        assertThat(r.events())
                .singleElement()
                .satisfies(e -> assertThat(e.field("ok")).isEqualTo(true));
        assertThat(r.rejected()).extracting(Rejection::line).containsExactly(1, 2);
        assertThat(r.rejected().get(0).reason()).contains("longer than 400");
        assertThat(r.rejected().get(1).reason()).contains("nesting depth");
    }

    @Test
    void hecEventBodyWithObjectAndStringEventsAndIndexedRejections() {
        String body = """
                {"time":1700000000.123,"host":"fw1","source":"udp:514","sourcetype":"syslog","index":"main",\
                "event":"<38>Nov 14 22:13:20 fw1 sshd[4242]: Failed password for root from 203.0.113.7 port 50022 ssh2",\
                "fields":{"site":"berlin"}}{"event":{"action":"login","user":"bob"},"sourcetype":"_json"}
                {"host":"x"}
                {"event":""}{"event": oops}
                {"time":"1700000001","event":"CEF:0|Acme|FW|1.0|100|Blocked|5|src=198.51.100.4 dst=10.1.1.1 act=blocked"}
                """;
        DecodeResult r = new HecDecoder().decodeEvent(TENANT, body.getBytes(UTF_8), HecMetadata.NONE);

        assertThat(r.events()).hasSize(3);
        Event sshd = r.events().get(0);
        assertThat(sshd.timestamp()).isEqualTo(Instant.ofEpochSecond(1700000000, 123_000_000));
        assertThat(sshd.field("host")).isEqualTo("fw1");
        assertThat(sshd.field("sourcetype")).isEqualTo("syslog");
        assertThat(sshd.field("index")).isEqualTo("main");
        assertThat(sshd.field("site")).isEqualTo("berlin");
        assertThat(sshd.field("user.name")).isEqualTo("root");
        assertThat(sshd.field("source.ip")).isEqualTo("203.0.113.7");
        assertThat(r.events().get(1).field("user")).isEqualTo("bob");
        Event cef = r.events().get(2);
        assertThat(cef.field("source.ip")).isEqualTo("198.51.100.4");
        assertThat(cef.timestamp()).isEqualTo(Instant.ofEpochSecond(1700000001));
        assertThat(r.rejected()).extracting(Rejection::line).containsExactly(3, 4, 5);
        assertThat(r.rejected().get(0).reason()).isEqualTo("Event field is required");
        assertThat(r.rejected().get(1).reason()).isEqualTo("Event field cannot be blank");
        assertThat(r.rejected().get(2).reason()).startsWith("invalid JSON");

        HecResponse response = HecDecoder.response(r);
        assertThat(response.httpStatus()).isEqualTo(400);
        assertThat(response.body()).contains("\"code\":12", "\"invalid-event-number\":2", "\"accepted\":3");
        assertThat(HecDecoder.response(new DecodeResult(r.events(), java.util.List.of()))
                        .body())
                .isEqualTo("{\"text\":\"Success\",\"code\":0}");
        assertThat(HecDecoder.response(new HecDecoder().decodeEvent(TENANT, new byte[0], HecMetadata.NONE))
                        .body())
                .contains("No data");
    }

    @Test
    void hecWindowsEventKeepsItsDerivedFieldsDerivedAndItsOwnHostName() {
        String body = """
                {"time":1700000000,"host":"collector-9","sourcetype":"_json","event":{"Event":{
                 "System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-Sysmon"}},"EventID":1,
                  "Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"ws01.corp.local",
                  "TimeCreated":{"#attributes":{"SystemTime":"2023-11-14T21:00:00Z"}}},
                 "EventData":{"Image":"C:\\\\Windows\\\\System32\\\\cmd.exe","CommandLine":"cmd /c whoami"}}}}
                """;
        DecodeResult r = new HecDecoder().decodeEvent(TENANT, body.getBytes(UTF_8), HecMetadata.NONE);
        assertThat(r.rejected()).isEmpty();
        Event e = r.events().get(0);
        assertThat(e.field("host.name"))
                .as("the record's host, derived, wins over the HEC host")
                .isEqualTo("ws01.corp.local");
        assertThat(e.field("host")).as("metadata the record lacks is added").isEqualTo("collector-9");
        assertThat(e.field("process.command_line")).isEqualTo("cmd /c whoami");
        assertThat(e.timestamp())
                .as("HEC's time wins, as for every event")
                .isEqualTo(Instant.ofEpochSecond(1700000000));
        assertThat(e.field("@timestamp")).as("derived at the event's time").isEqualTo("2023-11-14T22:13:20Z");
        assertThat(e.ownFields())
                .containsKeys("CommandLine", "host", "sourcetype")
                .doesNotContainKeys("host.name", "process.command_line");
        java.util.List<Object> values = new java.util.ArrayList<>();
        e.forEachValue(values::add);
        assertThat(values).contains("cmd /c whoami", "collector-9").doesNotContain("Process Create");
    }

    @Test
    void hecRawLinesGetRequestMetadataAndDetectedFormat() {
        String body = """
                192.0.2.10 - alice [10/Oct/2023:13:55:36 +0200] "GET /admin HTTP/1.1" 403 512 "-" "curl/8.0"
                192.0.2.11 - - [10/Oct/2023:13:55:37 +0200] "POST /login HTTP/1.1" 200 128 "-" "Mozilla/5.0"
                """;
        HecMetadata meta = new HecMetadata("chan-1", "web1", "/var/log/nginx/access.log", null, "web");
        DecodeResult r = new HecDecoder().decodeRaw(TENANT, body.getBytes(UTF_8), meta);
        assertThat(r.rejected()).isEmpty();
        assertThat(r.events()).hasSize(2);
        assertThat(r.events().get(0).field("source.ip")).isEqualTo("192.0.2.10");
        assertThat(r.events().get(0).field("host.name")).isEqualTo("web1");
        assertThat(r.events().get(0).field("hec.channel")).isEqualTo("chan-1");
        assertThat(r.events().get(1).source().record()).isEqualTo(2);

        DecodeResult tooLong = new HecDecoder(1 << 20, 64)
                .decodeRaw(TENANT, ("x".repeat(100) + "\nshort line\n").getBytes(UTF_8), HecMetadata.NONE);
        assertThat(tooLong.events())
                .singleElement()
                .satisfies(e -> assertThat(e.field("message")).isEqualTo("short line"));
        assertThat(tooLong.rejected())
                .singleElement()
                .satisfies(x -> assertThat(x.line()).isEqualTo(1));
    }

    @Test
    void otlpJsonMapsResourceScopeRecordAndRejectsBadRecords() {
        String body = """
                {"resourceLogs":[{"resource":{"attributes":[
                  {"key":"service.name","value":{"stringValue":"auth-api"}},
                  {"key":"host.name","value":{"stringValue":"node-7"}}]},
                 "scopeLogs":[{"scope":{"name":"io.acme.auth","version":"2.1"},
                  "logRecords":[
                   {"timeUnixNano":"1700000000123456789","severityNumber":13,"severityText":"WARN",
                    "body":{"stringValue":"login failed for bob"},
                    "attributes":[{"key":"user","value":{"kvlistValue":{"values":[{"key":"name","value":{"stringValue":"bob"}}]}}},
                                  {"key":"attempts","value":{"intValue":"3"}}],
                    "traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174"},
                   {"observedTimeUnixNano":"1700000001000000000",
                    "body":{"kvlistValue":{"values":[{"key":"event_type","value":{"stringValue":"alert"}},
                      {"key":"src_ip","value":{"stringValue":"10.0.0.5"}},{"key":"dest_ip","value":{"stringValue":"10.0.0.9"}},
                      {"key":"alert","value":{"kvlistValue":{"values":[{"key":"signature","value":{"stringValue":"ET X"}}]}}}]}}},
                   {"traceId":"xyz","body":{"stringValue":"bad id"}},
                   {"timeUnixNano":"-5","body":{"stringValue":"bad time"}}
                  ]}]}]}
                """;
        DecodeResult r = new OtlpLogsDecoder().decode(TENANT, body.getBytes(UTF_8), "application/json");
        assertThat(r.events()).hasSize(2);
        Event first = r.events().get(0);
        assertThat(first.field("message")).isEqualTo("login failed for bob");
        assertThat(first.field("service.name")).isEqualTo("auth-api");
        assertThat(first.field("otel.scope.name")).isEqualTo("io.acme.auth");
        assertThat(first.field("user.name")).isEqualTo("bob");
        assertThat(first.field("attempts")).isEqualTo(3L);
        assertThat(first.field("log.level")).isEqualTo("WARN");
        assertThat(first.field("event.severity")).isEqualTo(13L);
        assertThat(first.field("trace.id")).isEqualTo("5b8efff798038103d269b633813fc60c");
        assertThat(first.timestamp()).isEqualTo(Instant.ofEpochSecond(1700000000, 123456789));
        Event eve = r.events().get(1);
        assertThat(eve.field("source.ip")).isEqualTo("10.0.0.5");
        assertThat(eve.field("service.name")).isEqualTo("auth-api");
        assertThat(eve.timestamp()).isEqualTo(Instant.ofEpochSecond(1700000001));
        assertThat(r.rejected()).extracting(Rejection::line).containsExactly(3, 4);
        assertThat(r.rejected().get(0).reason()).contains("traceId must be 32 hex digits");
        assertThat(r.rejected().get(1).reason()).contains("timeUnixNano");

        ExportLogsServiceResponse response = OtlpLogsDecoder.response(r);
        assertThat(response.getPartialSuccess().getRejectedLogRecords()).isEqualTo(2);
        assertThat(response.getPartialSuccess().getErrorMessage()).contains("log record 3: traceId");
        assertThat(OtlpLogsDecoder.responseJson(r)).startsWith("{\"partialSuccess\":{\"rejectedLogRecords\":\"2\"");
    }

    @Test
    void otlpProtobufBuiltWithGeneratedClasses() throws Exception {
        byte[] traceId = HexFormat.of().parseHex("5b8efff798038103d269b633813fc60c");
        ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(kv("service.name", str("sshd-gw"))))
                        .addScopeLogs(ScopeLogs.newBuilder()
                                .setScope(InstrumentationScope.newBuilder().setName("filelog"))
                                .addLogRecords(LogRecord.newBuilder()
                                        .setTimeUnixNano(1_700_000_000_500_000_000L)
                                        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
                                        .setSeverityText("ERROR")
                                        .setBody(str("Failed password for root from 203.0.113.7 port 22 ssh2"))
                                        .addAttributes(kv(
                                                "net",
                                                AnyValue.newBuilder()
                                                        .setKvlistValue(KeyValueList.newBuilder()
                                                                .addValues(kv("peer", str("203.0.113.7"))))
                                                        .build()))
                                        .setTraceId(ByteString.copyFrom(traceId)))
                                .addLogRecords(LogRecord.newBuilder()
                                        .setBody(str("bad span"))
                                        .setSpanId(ByteString.copyFrom(new byte[3])))))
                .build();
        DecodeResult r = new OtlpLogsDecoder().decode(TENANT, request.toByteArray(), "application/x-protobuf");
        assertThat(r.events()).singleElement().satisfies(e -> {
            assertThat(e.field("message")).isEqualTo("Failed password for root from 203.0.113.7 port 22 ssh2");
            assertThat(e.field("service.name")).isEqualTo("sshd-gw");
            assertThat(e.field("net.peer")).isEqualTo("203.0.113.7");
            assertThat(e.field("event.severity")).isEqualTo(17L);
            assertThat(e.field("trace.id")).isEqualTo("5b8efff798038103d269b633813fc60c");
            assertThat(e.timestamp()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 500_000_000));
        });
        assertThat(r.rejected()).singleElement().satisfies(x -> {
            assertThat(x.line()).isEqualTo(2);
            assertThat(x.reason()).contains("spanId must be 8 bytes");
        });
        ExportLogsServiceResponse parsed =
                ExportLogsServiceResponse.parseFrom(OtlpLogsDecoder.response(r).toByteArray());
        assertThat(parsed.getPartialSuccess().getRejectedLogRecords()).isEqualTo(1);

        DecodeResult garbage = new OtlpLogsDecoder().decodeProtobuf(TENANT, new byte[] {(byte) 0xff, 0x01, 0x02});
        assertThat(garbage.events()).isEmpty();
        assertThat(garbage.rejected())
                .singleElement()
                .satisfies(x -> assertThat(x.line()).isZero());
    }

    private static KeyValue kv(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    private static AnyValue str(String s) {
        return AnyValue.newBuilder().setStringValue(s).build();
    }
}
