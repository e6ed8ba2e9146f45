package dev.vigil.incidents;

import dev.vigil.core.alert.EntityRef;
import dev.vigil.core.alert.EntityType;
import java.util.ArrayList;
import java.util.List;

/** Generated incident titles: the most severe step's title, where it happened, and how many more steps there are. */
final class IncidentTitles {
    private static final int MAX_TITLE_CHARS = 300;

    private IncidentTitles() {}

    static String title(List<IncidentStep> steps, List<EntityRef> entities) {
        if (steps.isEmpty()) {
            return "Incident";
        }
        IncidentStep top = steps.get(0);
        for (IncidentStep s : steps) {
            if (s.severity().compareTo(top.severity()) > 0) {
                top = s;
            }
        }
        List<String> hosts = values(entities, EntityType.HOST);
        List<String> users = values(entities, EntityType.USER);
        StringBuilder t = new StringBuilder(top.title());
        if (!hosts.isEmpty()) {
            t.append(" on ").append(list(hosts, "host"));
        } else if (!users.isEmpty()) {
            t.append(" by ").append(list(users, "user"));
        }
        if (steps.size() > 1) {
            t.append(" and ").append(steps.size() - 1).append(steps.size() == 2 ? " more alert" : " more alerts");
        }
        return t.length() > MAX_TITLE_CHARS ? t.substring(0, MAX_TITLE_CHARS - 1) + "…" : t.toString();
    }

    private static List<String> values(List<EntityRef> entities, EntityType type) {
        List<String> out = new ArrayList<>();
        for (EntityRef e : entities) {
            if (e.type() == type) {
                out.add(e.value());
            }
        }
        return out;
    }

    private static String list(List<String> values, String noun) {
        if (values.size() <= 2) {
            return String.join(", ", values);
        }
        return values.get(0) + ", " + values.get(1) + " and " + (values.size() - 2) + " more " + noun + "s";
    }
}
