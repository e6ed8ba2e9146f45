package dev.vigil.incidents;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An analyst's case over an incident: status, assignee, tags, comments, SLA timers and an audit trail of every change.
 * Immutable: each change returns a new case with one more {@link CaseAuditEntry}; invalid changes (a status move the
 * {@link CaseStatus state machine} forbids, text over its limit) throw {@link IllegalArgumentException} naming the
 * incident and the field, and change nothing.
 *
 * @param acknowledgedAt when the case first moved to in progress
 * @param resolvedAt when it was last resolved; cleared when it reopens
 */
public record Case(
        String incidentId,
        TenantId tenant,
        CaseStatus status,
        Severity severity,
        Optional<String> assignee,
        List<String> tags,
        List<CaseComment> comments,
        Instant createdAt,
        Optional<Instant> acknowledgedAt,
        Optional<Instant> resolvedAt,
        List<CaseAuditEntry> audit) {
    public static final int MAX_ACTOR_CHARS = 128;
    public static final int MAX_COMMENT_CHARS = 10_000;
    public static final int MAX_COMMENTS = 1_000;
    public static final int MAX_TAGS = 50;
    public static final int MAX_TAG_CHARS = 64;
    private static final Pattern TAG = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}._:/-]*");

    public Case {
        requireNonNull(incidentId, "incidentId");
        requireNonNull(tenant, "tenant");
        requireNonNull(status, "status");
        requireNonNull(severity, "severity");
        requireNonNull(assignee, "assignee");
        requireNonNull(createdAt, "createdAt");
        requireNonNull(acknowledgedAt, "acknowledgedAt");
        requireNonNull(resolvedAt, "resolvedAt");
        tags = List.copyOf(tags);
        comments = List.copyOf(comments);
        audit = List.copyOf(audit);
    }

    /** A new case for an incident, created by {@code system}. */
    public static Case open(String incidentId, TenantId tenant, Severity severity, Instant createdAt) {
        return new Case(
                incidentId,
                tenant,
                CaseStatus.NEW,
                severity,
                Optional.empty(),
                List.of(),
                List.of(),
                createdAt,
                Optional.empty(),
                Optional.empty(),
                List.of(new CaseAuditEntry(SuppressionEvent.SYSTEM, createdAt, "status", "", "new")));
    }

    /** Moves the case to another status, if the state machine allows it. */
    public Case transition(CaseStatus to, String actor, Instant at) {
        requireNonNull(to, "to");
        checkActor(actor);
        if (!status.next().contains(to)) {
            throw new IllegalArgumentException("incident " + incidentId + ": a case cannot move from "
                    + status.wireName() + " to " + to.wireName() + "; allowed: "
                    + status.next().stream().map(CaseStatus::wireName).toList());
        }
        Optional<Instant> ack =
                acknowledgedAt.isEmpty() && to == CaseStatus.IN_PROGRESS ? Optional.of(at) : acknowledgedAt;
        Optional<Instant> resolved = to.isResolved() ? Optional.of(at) : Optional.empty();
        return new Case(
                incidentId,
                tenant,
                to,
                severity,
                assignee,
                tags,
                comments,
                createdAt,
                ack,
                resolved,
                append(actor, at, "status", status.wireName(), to.wireName()));
    }

    /** Assigns the case to someone, or unassigns it with {@code null}. */
    public Case assign(String newAssignee, String actor, Instant at) {
        checkActor(actor);
        if (newAssignee != null) {
            checkText("assignee", newAssignee, MAX_ACTOR_CHARS);
        }
        Optional<String> next = Optional.ofNullable(newAssignee);
        if (next.equals(assignee)) {
            return this;
        }
        return new Case(
                incidentId,
                tenant,
                status,
                severity,
                next,
                tags,
                comments,
                createdAt,
                acknowledgedAt,
                resolvedAt,
                append(actor, at, "assignee", assignee.orElse(""), next.orElse("")));
    }

    public Case comment(String text, String actor, Instant at) {
        checkActor(actor);
        requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new IllegalArgumentException("incident " + incidentId + ": a comment must not be empty");
        }
        if (text.length() > MAX_COMMENT_CHARS) {
            throw new IllegalArgumentException("incident " + incidentId + ": a comment is limited to "
                    + MAX_COMMENT_CHARS + " characters, got " + text.length());
        }
        if (comments.size() >= MAX_COMMENTS) {
            throw new IllegalArgumentException(
                    "incident " + incidentId + " already has the maximum of " + MAX_COMMENTS + " comments");
        }
        List<CaseComment> more = new ArrayList<>(comments);
        more.add(new CaseComment(comments.size() + 1, actor, at, text));
        return new Case(
                incidentId,
                tenant,
                status,
                severity,
                assignee,
                tags,
                more,
                createdAt,
                acknowledgedAt,
                resolvedAt,
                append(actor, at, "comment", "", "#" + more.size()));
    }

    public Case addTag(String tag, String actor, Instant at) {
        checkActor(actor);
        checkTag(tag);
        if (tags.contains(tag)) {
            return this;
        }
        if (tags.size() >= MAX_TAGS) {
            throw new IllegalArgumentException(
                    "incident " + incidentId + " already has the maximum of " + MAX_TAGS + " tags");
        }
        List<String> more = new ArrayList<>(tags);
        more.add(tag);
        return withTags(more, append(actor, at, "tag", "", tag));
    }

    public Case removeTag(String tag, String actor, Instant at) {
        checkActor(actor);
        if (!tags.contains(tag)) {
            return this;
        }
        List<String> fewer = new ArrayList<>(tags);
        fewer.remove(tag);
        return withTags(fewer, append(actor, at, "tag", tag, ""));
    }

    /** Follows the incident's severity (the engine raises it as alerts arrive); SLA due times follow it. */
    public Case severity(Severity newSeverity, String actor, Instant at) {
        checkActor(actor);
        if (newSeverity == severity) {
            return this;
        }
        return new Case(
                incidentId,
                tenant,
                status,
                newSeverity,
                assignee,
                tags,
                comments,
                createdAt,
                acknowledgedAt,
                resolvedAt,
                append(actor, at, "severity", severity.sigmaLevel(), newSeverity.sigmaLevel()));
    }

    /** The SLA timers at {@code now} (pass a clock's instant; nothing here reads the time). */
    public SlaStatus sla(SlaPolicy policy, Instant now) {
        Instant ackDue = createdAt.plus(policy.timeToAcknowledge().get(severity));
        Instant resolveDue = createdAt.plus(policy.timeToResolve().get(severity));
        Instant acked = acknowledgedAt.orElse(now);
        Instant resolved = resolvedAt.orElse(now);
        return new SlaStatus(ackDue, resolveDue, acked.isAfter(ackDue), resolved.isAfter(resolveDue));
    }

    private Case withTags(List<String> newTags, List<CaseAuditEntry> newAudit) {
        return new Case(
                incidentId,
                tenant,
                status,
                severity,
                assignee,
                newTags,
                comments,
                createdAt,
                acknowledgedAt,
                resolvedAt,
                newAudit);
    }

    private List<CaseAuditEntry> append(String actor, Instant at, String field, String oldValue, String newValue) {
        requireNonNull(at, "at");
        List<CaseAuditEntry> more = new ArrayList<>(audit.size() + 1);
        more.addAll(audit);
        more.add(new CaseAuditEntry(actor, at, field, oldValue, newValue));
        return more;
    }

    private void checkActor(String actor) {
        requireNonNull(actor, "actor");
        checkText("actor", actor, MAX_ACTOR_CHARS);
    }

    private void checkTag(String tag) {
        requireNonNull(tag, "tag");
        if (tag.length() > MAX_TAG_CHARS || !TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("incident " + incidentId + ": invalid tag '" + tag + "': use 1 to "
                    + MAX_TAG_CHARS + " letters, digits, '.', '_', ':', '/' or '-'");
        }
    }

    private void checkText(String what, String text, int max) {
        if (text.isBlank() || text.length() > max) {
            throw new IllegalArgumentException(
                    "incident " + incidentId + ": " + what + " must be 1 to " + max + " characters");
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                throw new IllegalArgumentException(
                        "incident " + incidentId + ": " + what + " contains a control character at offset " + i);
            }
        }
    }
}
