package dev.vigil.inputs;

/**
 * The request-level metadata of a Splunk HEC request, from its query parameters ({@code channel}, {@code host}, {@code
 * source}, {@code sourcetype}, {@code index}) or the {@code X-Splunk-Request-Channel} header. Any may be {@code null}.
 * For {@code /services/collector/event} they are defaults that each event object may override; for {@code
 * /services/collector/raw} they are the only metadata.
 */
public record HecMetadata(String channel, String host, String source, String sourcetype, String index) {
    public static final HecMetadata NONE = new HecMetadata(null, null, null, null, null);
}
