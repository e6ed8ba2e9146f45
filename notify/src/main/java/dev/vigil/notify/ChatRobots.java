package dev.vigil.notify;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Set;

/** What the chat robots share: reading their JSON replies, where a non-zero code is a failure even under HTTP 200. */
final class ChatRobots {
    private ChatRobots() {}

    /**
     * The outcome of a robot's reply: HTTP errors as for any HTTP channel; on 2xx, the first of {@code codeFields}
     * present must be 0; a code in {@code retryableCodes} (the vendor's rate-limit and busy codes) may be retried.
     */
    static DeliveryOutcome outcome(
            String vendor, HttpDelivery.Reply reply, Instant now, Set<Long> retryableCodes, String... codeFields) {
        if (!reply.success()) {
            return reply.failure(now);
        }
        JsonNode json;
        try {
            json = NotificationJson.parse(reply.body());
        } catch (IOException e) {
            return DeliveryOutcome.failed(vendor + " replied HTTP " + reply.status() + " with a body that is not JSON");
        }
        for (String field : codeFields) {
            JsonNode code = json.get(field);
            if (code == null) {
                continue;
            }
            if (!code.canConvertToLong()) {
                return DeliveryOutcome.failed(vendor + " replied with a non-numeric " + field);
            }
            long c = code.asLong();
            if (c == 0) {
                return DeliveryOutcome.delivered();
            }
            String message = TextFormat.oneLine(firstText(json, "errmsg", "msg", "StatusMessage"));
            String reason = vendor + " error " + c + (message.isEmpty() ? "" : ": " + message);
            return retryableCodes.contains(c) ? DeliveryOutcome.retryable(reason) : DeliveryOutcome.failed(reason);
        }
        return DeliveryOutcome.failed(vendor + " replied without a result code");
    }

    private static String firstText(JsonNode json, String... fields) {
        for (String f : fields) {
            JsonNode v = json.get(f);
            if (v != null && v.isTextual()) {
                return v.asText();
            }
        }
        return "";
    }
}
