package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.store.EventStore;
import org.junit.jupiter.api.Test;

class OverviewPageTest {
    @Test
    void everyFieldTheOverviewRanksIsCountedByTheStoresHourlyRollup() {
        // Otherwise the overview scans every event of its range for that field: 10 million at the scale.
        assertThat(EventStore.ROLLED_UP_FIELDS)
                .containsAll(OverviewPage.HOST_FIELDS)
                .containsAll(OverviewPage.USER_FIELDS)
                .containsAll(OverviewPage.SOURCE_FIELDS);
    }
}
