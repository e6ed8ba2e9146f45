package dev.vigil.store;

import dev.vigil.core.alert.Alert;
import java.util.List;

/** A page of alerts, newest first, with the number of all alerts that match. */
public record AlertPage(long total, List<Alert> alerts) {
    public AlertPage {
        alerts = List.copyOf(alerts);
    }
}
