package dev.vigil.attack;

import static java.util.Objects.requireNonNull;

import dev.vigil.attack.BundleReader.RawObject;
import dev.vigil.core.Problem;
import dev.vigil.core.ProblemSink;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MITRE ATT&CK knowledge base of one domain (Enterprise), read from its STIX 2.1 bundle: tactics in matrix order,
 * techniques and sub-techniques, groups, software, mitigations, data components, campaigns, detection strategies and
 * the relationships between them. Immutable once loaded and safe to share between threads.
 *
 * <p>Design. The bundle is read in two passes over memory, not over the input: {@link BundleReader} streams the
 * objects and keeps a small record of each (no descriptions), then this class links them, because STIX puts no order
 * on a bundle (a sub-technique may come before its parent, a relationship before both ends). Only <em>active</em>
 * objects (neither {@code revoked} nor {@code x_mitre_deprecated}) enter the knowledge base; a revoked object's ATT&CK
 * id is remembered with the object that replaced it (following {@code revoked-by} relationships), so an old Sigma tag
 * such as {@code attack.t1086} still resolves, to PowerShell ({@code T1059.001}). Relationships are kept only when both
 * ends are active objects of the knowledge base.
 *
 * <p>Nothing in the input is fatal except a document that is not a bundle at all: a broken object is reported to the
 * {@link ProblemSink} with its position and STIX id and the rest loads. The loader does no I/O of its own; the caller
 * hands it the bytes.
 */
public final class AttackKnowledgeBase {
    private static final Pattern TECHNIQUE_TAG = Pattern.compile("t\\d{4}(\\.\\d{3})?");
    private static final Pattern OBJECT_TAG = Pattern.compile("(ta|g|s|m|c|ds|dc|det)\\d{4}");
    private static final int MAX_REVOCATION_CHAIN = 16;

    private final String version;
    private final List<Tactic> tactics;
    private final Map<String, Tactic> tacticsByShortname;
    private final Map<String, Tactic> tacticsById;
    private final List<Technique> techniques;
    private final Map<String, Technique> techniquesById;
    private final List<AttackObject> objects;
    private final Map<String, AttackObject> objectsById;
    private final Map<String, Object> byStixId;
    private final List<Relationship> relationships;
    private final Map<String, List<Relationship>> relationshipsBySource;
    private final Map<String, List<Relationship>> relationshipsByTarget;
    private final Map<String, String> replacements;
    private final Map<String, String> inactiveIds;
    private final List<Problem> problems;

    private AttackKnowledgeBase(Linker l) {
        this.version = l.version;
        this.tactics = List.copyOf(l.tactics);
        this.tacticsByShortname = Map.copyOf(l.tacticsByShortname);
        Map<String, Tactic> tById = new HashMap<>();
        l.tactics.forEach(t -> tById.put(t.attackId(), t));
        this.tacticsById = Map.copyOf(tById);
        this.techniques = List.copyOf(l.techniques);
        Map<String, Technique> byId = new HashMap<>();
        l.techniques.forEach(t -> byId.put(t.attackId(), t));
        this.techniquesById = Map.copyOf(byId);
        this.objects = List.copyOf(l.objects);
        Map<String, AttackObject> oById = new HashMap<>();
        l.objects.forEach(o -> {
            if (!o.attackId().isEmpty()) {
                oById.put(o.attackId(), o);
            }
        });
        this.objectsById = Map.copyOf(oById);
        this.byStixId = Map.copyOf(l.byStixId);
        this.relationships = List.copyOf(l.relationships);
        Map<String, List<Relationship>> bySource = new HashMap<>();
        Map<String, List<Relationship>> byTarget = new HashMap<>();
        for (Relationship r : l.relationships) {
            bySource.computeIfAbsent(r.sourceRef(), k -> new ArrayList<>()).add(r);
            byTarget.computeIfAbsent(r.targetRef(), k -> new ArrayList<>()).add(r);
        }
        this.relationshipsBySource = freeze(bySource);
        this.relationshipsByTarget = freeze(byTarget);
        this.replacements = Map.copyOf(l.replacements);
        this.inactiveIds = Map.copyOf(l.inactiveIds);
        this.problems = List.copyOf(l.problems);
    }

    /** Loads a bundle; problems with single objects are collected in {@link #problems()}. */
    public static AttackKnowledgeBase load(InputStream bundle) {
        return load(bundle, "ATT&CK bundle", p -> {});
    }

    /** Loads a bundle held in memory. */
    public static AttackKnowledgeBase load(byte[] bundle, String source, ProblemSink problems) {
        return load(new ByteArrayInputStream(bundle), source, problems);
    }

    /**
     * Loads a bundle, reporting each object that cannot be used (with its position in the bundle and its STIX id) to
     * {@code problems} as well as to {@link #problems()}.
     *
     * @param bundle the STIX 2.x bundle; read to its end, not closed
     * @param source the name problems give for the input, e.g. its file name
     * @throws AttackBundleException when the input is not a STIX bundle at all
     */
    public static AttackKnowledgeBase load(InputStream bundle, String source, ProblemSink problems) {
        requireNonNull(bundle, "bundle");
        requireNonNull(source, "source");
        requireNonNull(problems, "problems");
        Linker linker = new Linker(source, problems);
        BundleReader reader = new BundleReader(source, linker::report);
        if (!reader.read(bundle, linker::add)) {
            throw new AttackBundleException(
                    linker.problems.get(linker.problems.size() - 1).toString());
        }
        linker.link();
        return new AttackKnowledgeBase(linker);
    }

    /** The ATT&CK version of the bundle (its collection's {@code x_mitre_version}, e.g. {@code 18.1}), or empty. */
    public String version() {
        return version;
    }

    /** The tactics in matrix order (Reconnaissance, Resource Development, Initial Access … Impact). */
    public List<Tactic> tactics() {
        return tactics;
    }

    /** A tactic by its shortname ({@code credential-access}) or ATT&CK id ({@code TA0006}), case-insensitive. */
    public Optional<Tactic> tactic(String shortnameOrId) {
        String key = shortnameOrId.toLowerCase(Locale.ROOT).replace('_', '-');
        Tactic t = tacticsByShortname.get(key);
        return Optional.ofNullable(t != null ? t : tacticsById.get(shortnameOrId.toUpperCase(Locale.ROOT)));
    }

    /** All active techniques and sub-techniques, ordered by ATT&CK id. */
    public List<Technique> techniques() {
        return techniques;
    }

    /** An active technique or sub-technique by ATT&CK id ({@code T1059.001}), case-insensitive. */
    public Optional<Technique> technique(String attackId) {
        return Optional.ofNullable(techniquesById.get(attackId.toUpperCase(Locale.ROOT)));
    }

    /** The active sub-techniques of a technique, ordered by ATT&CK id. */
    public List<Technique> subtechniques(String parentAttackId) {
        String parent = parentAttackId.toUpperCase(Locale.ROOT);
        return techniques.stream()
                .filter(t -> t.subtechnique() && t.parentId().equals(parent))
                .toList();
    }

    /** The active objects of one kind (groups, malware …), ordered by ATT&CK id. */
    public List<AttackObject> objects(AttackObject.Kind kind) {
        return objects.stream().filter(o -> o.kind() == kind).toList();
    }

    /** The active groups ({@code intrusion-set}). */
    public List<AttackObject> groups() {
        return objects(AttackObject.Kind.GROUP);
    }

    /** The active software: malware and tools. */
    public List<AttackObject> software() {
        return objects.stream().filter(o -> o.kind().isSoftware()).toList();
    }

    /** The active mitigations ({@code course-of-action}). */
    public List<AttackObject> mitigations() {
        return objects(AttackObject.Kind.MITIGATION);
    }

    /** An active object other than a tactic or technique by ATT&CK id ({@code G0016}, {@code S0002} …). */
    public Optional<AttackObject> object(String attackId) {
        return Optional.ofNullable(objectsById.get(attackId.toUpperCase(Locale.ROOT)));
    }

    /** The {@link Tactic}, {@link Technique} or {@link AttackObject} with a STIX id, if active. */
    public Optional<Object> byStixId(String stixId) {
        return Optional.ofNullable(byStixId.get(stixId));
    }

    /** The relationships between active objects. */
    public List<Relationship> relationships() {
        return relationships;
    }

    /** The relationships of one type from an object (e.g. the techniques a group {@code uses}). */
    public List<Relationship> relationshipsFrom(String stixId, String type) {
        return relationshipsBySource.getOrDefault(stixId, List.of()).stream()
                .filter(r -> r.type().equals(type))
                .toList();
    }

    /** The relationships of one type to an object (e.g. the mitigations that {@code mitigates} a technique). */
    public List<Relationship> relationshipsTo(String stixId, String type) {
        return relationshipsByTarget.getOrDefault(stixId, List.of()).stream()
                .filter(r -> r.type().equals(type))
                .toList();
    }

    /** What the bundle contained that could not be used; empty for a clean bundle. */
    public List<Problem> problems() {
        return problems;
    }

    /**
     * Resolves one Sigma tag: {@code attack.t1059.001}, {@code attack.T1059}, {@code attack.execution}, {@code
     * attack.credential_access}, {@code attack.ta0002}, {@code attack.g0016}, {@code attack.s0002}, {@code
     * attack.m1042} … Returns empty for a tag outside the {@code attack.} namespace and for one that names nothing
     * active ({@link #resolveAll} says why).
     */
    public Optional<ResolvedTag> resolve(String tag) {
        Object r = resolveOrReason(tag);
        return r instanceof ResolvedTag t ? Optional.of(t) : Optional.empty();
    }

    /** Resolves the tags of a rule or alert; {@code attack.} tags that name nothing are listed with the reason. */
    public TagResolution resolveAll(Collection<String> tags) {
        List<ResolvedTag> resolved = new ArrayList<>();
        List<TagResolution.UnresolvedTag> unresolved = new ArrayList<>();
        for (String tag : tags) {
            Object r = resolveOrReason(tag);
            if (r instanceof ResolvedTag t) {
                resolved.add(t);
            } else if (r instanceof String reason) {
                unresolved.add(new TagResolution.UnresolvedTag(tag, reason));
            }
        }
        return new TagResolution(resolved, unresolved);
    }

    /** A {@link ResolvedTag}, the reason it does not resolve, or null for a tag of another namespace. */
    private Object resolveOrReason(String tag) {
        String lower = tag.strip().toLowerCase(Locale.ROOT);
        if (!lower.startsWith("attack.")) {
            return null;
        }
        String name = lower.substring("attack.".length());
        if (TECHNIQUE_TAG.matcher(name).matches()) {
            String id = name.toUpperCase(Locale.ROOT);
            Technique t = techniquesById.get(id);
            String revoked = "";
            if (t == null && byStixId.get(replacements.getOrDefault(id, "")) instanceof Technique replacement) {
                t = replacement;
                revoked = id;
            }
            if (t == null) {
                return reasonFor("technique", id);
            }
            return new ResolvedTag(
                    tag,
                    t.subtechnique() ? ResolvedTag.Kind.SUBTECHNIQUE : ResolvedTag.Kind.TECHNIQUE,
                    t.attackId(),
                    t.fullName(this),
                    t.tactics(),
                    t.url(),
                    revoked);
        }
        Matcher m = OBJECT_TAG.matcher(name);
        if (m.matches()) {
            String id = name.toUpperCase(Locale.ROOT);
            if (m.group(1).equals("ta")) {
                Tactic t = tacticsById.get(id);
                return t == null
                        ? reasonFor("tactic", id)
                        : new ResolvedTag(
                                tag, ResolvedTag.Kind.TACTIC, t.attackId(), t.name(), List.of(t), t.url(), "");
            }
            AttackObject o = objectsById.get(id);
            String revoked = "";
            if (o == null && byStixId.get(replacements.getOrDefault(id, "")) instanceof AttackObject replacement) {
                o = replacement;
                revoked = id;
            }
            if (o == null) {
                return reasonFor("object", id);
            }
            return new ResolvedTag(tag, kindOf(o.kind()), o.attackId(), o.name(), List.of(), o.url(), revoked);
        }
        Tactic t = tacticsByShortname.get(name.replace('_', '-'));
        if (t == null) {
            return "no tactic named '" + name + "'" + inVersion();
        }
        return new ResolvedTag(tag, ResolvedTag.Kind.TACTIC, t.attackId(), t.name(), List.of(t), t.url(), "");
    }

    private String reasonFor(String what, String id) {
        String state = inactiveIds.get(id);
        return state != null ? id + " is " + state + inVersion() : "no " + what + " " + id + inVersion();
    }

    private String inVersion() {
        return version.isEmpty() ? " in the ATT&CK bundle" : " in ATT&CK " + version;
    }

    private static ResolvedTag.Kind kindOf(AttackObject.Kind kind) {
        return switch (kind) {
            case GROUP -> ResolvedTag.Kind.GROUP;
            case MALWARE, TOOL -> ResolvedTag.Kind.SOFTWARE;
            case MITIGATION -> ResolvedTag.Kind.MITIGATION;
            case DATA_SOURCE -> ResolvedTag.Kind.DATA_SOURCE;
            case DATA_COMPONENT -> ResolvedTag.Kind.DATA_COMPONENT;
            case CAMPAIGN -> ResolvedTag.Kind.CAMPAIGN;
            case DETECTION_STRATEGY -> ResolvedTag.Kind.DETECTION_STRATEGY;
        };
    }

    private static Map<String, List<Relationship>> freeze(Map<String, List<Relationship>> m) {
        Map<String, List<Relationship>> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return Map.copyOf(out);
    }

    /** Collects the raw objects of one load, then links them into the knowledge base. */
    private static final class Linker {
        private final String source;
        private final ProblemSink sink;
        private final List<Problem> problems = new ArrayList<>();
        private final List<RawObject> raw = new ArrayList<>();
        private final List<RawObject> rawRelationships = new ArrayList<>();
        private final Map<String, RawObject> rawById = new HashMap<>();

        private String version = "";
        private final List<Tactic> tactics = new ArrayList<>();
        private final Map<String, Tactic> tacticsByShortname = new HashMap<>();
        private final List<Technique> techniques = new ArrayList<>();
        private final List<AttackObject> objects = new ArrayList<>();
        private final Map<String, Object> byStixId = new HashMap<>();
        private final List<Relationship> relationships = new ArrayList<>();
        private final Map<String, String> replacements = new HashMap<>();
        private final Map<String, String> inactiveIds = new HashMap<>();

        Linker(String source, ProblemSink sink) {
            this.source = source;
            this.sink = sink;
        }

        void report(Problem p) {
            problems.add(p);
            sink.report(p);
        }

        void add(RawObject o) {
            if (o.type().equals("relationship")) {
                rawRelationships.add(o);
                return;
            }
            if (o.type().equals("x-mitre-collection")) {
                version = o.shortname();
                return;
            }
            RawObject previous = rawById.put(o.stixId(), o);
            if (previous != null) {
                report(new Problem(
                        source, o.index(), "object " + o.stixId() + " appears twice; the later one is used"));
                raw.remove(previous);
            }
            raw.add(o);
        }

        void link() {
            linkTactics();
            Map<String, String> parents = new HashMap<>();
            for (RawObject r : rawRelationships) {
                if (!r.revoked() && r.relType().equals("subtechnique-of")) {
                    parents.put(r.sourceRef(), r.targetRef());
                }
            }
            for (RawObject o : raw) {
                if (!o.active()) {
                    if (!o.attackId().isEmpty()) {
                        inactiveIds.putIfAbsent(o.attackId(), o.revoked() ? "revoked" : "deprecated");
                    }
                    continue;
                }
                switch (o.type()) {
                    case "attack-pattern" -> linkTechnique(o, parents);
                    case "x-mitre-tactic", "x-mitre-matrix" -> {}
                    default -> linkObject(o);
                }
            }
            techniques.sort(Comparator.comparing(Technique::attackId));
            objects.sort(Comparator.comparing((AttackObject o) -> o.kind()).thenComparing(AttackObject::attackId));
            linkRevocations();
            for (RawObject r : rawRelationships) {
                if (!r.revoked()
                        && !r.relType().equals("revoked-by")
                        && byStixId.containsKey(r.sourceRef())
                        && byStixId.containsKey(r.targetRef())) {
                    relationships.add(new Relationship(r.relType(), r.sourceRef(), r.targetRef()));
                }
            }
        }

        private void linkTactics() {
            List<RawObject> matrices = raw.stream()
                    .filter(o -> o.type().equals("x-mitre-matrix") && o.active())
                    .toList();
            List<String> order = new ArrayList<>();
            if (matrices.isEmpty()) {
                report(new Problem(source, 0, "no x-mitre-matrix object: tactics are ordered by ATT&CK id"));
            } else {
                order.addAll(matrices.get(0).tacticRefs());
            }
            List<RawObject> rawTactics = raw.stream()
                    .filter(o -> o.type().equals("x-mitre-tactic") && o.active())
                    .sorted(Comparator.comparing((RawObject o) -> order.indexOf(o.stixId()) < 0)
                            .thenComparing(o -> order.indexOf(o.stixId()))
                            .thenComparing(RawObject::attackId))
                    .toList();
            for (RawObject o : rawTactics) {
                if (o.shortname().isEmpty()) {
                    report(new Problem(
                            source, o.index(), "tactic " + o.stixId() + " has no x_mitre_shortname, skipped"));
                    continue;
                }
                Tactic t = new Tactic(o.stixId(), o.attackId(), o.name(), o.shortname(), tactics.size(), o.url());
                tactics.add(t);
                tacticsByShortname.put(t.shortname(), t);
                byStixId.put(t.stixId(), t);
            }
        }

        private void linkTechnique(RawObject o, Map<String, String> parents) {
            List<Tactic> ts = new ArrayList<>();
            for (String phase : o.killChainPhases()) {
                Tactic t = tacticsByShortname.get(phase);
                if (t == null) {
                    report(new Problem(
                            source,
                            o.index(),
                            "technique " + o.attackId() + " (" + o.stixId() + ") names unknown tactic '" + phase
                                    + "'"));
                } else if (!ts.contains(t)) {
                    ts.add(t);
                }
            }
            ts.sort(Comparator.comparingInt(Tactic::order));
            String parentId = "";
            if (o.subtechnique()) {
                RawObject parent = rawById.get(parents.getOrDefault(o.stixId(), ""));
                int dot = o.attackId().indexOf('.');
                parentId = parent != null
                        ? parent.attackId()
                        : dot > 0 ? o.attackId().substring(0, dot) : "";
            }
            Technique t = new Technique(
                    o.stixId(), o.attackId(), o.name(), ts, o.platforms(), o.subtechnique(), parentId, o.url());
            techniques.add(t);
            byStixId.put(t.stixId(), t);
        }

        private void linkObject(RawObject o) {
            for (AttackObject.Kind kind : AttackObject.Kind.values()) {
                if (kind.stixType().equals(o.type())) {
                    AttackObject a = new AttackObject(o.stixId(), kind, o.attackId(), o.name(), o.aliases(), o.url());
                    objects.add(a);
                    byStixId.put(a.stixId(), a);
                    return;
                }
            }
        }

        /** Maps each revoked ATT&CK id to the active object at the end of its revoked-by chain. */
        private void linkRevocations() {
            Map<String, String> revokedBy = new LinkedHashMap<>();
            for (RawObject r : rawRelationships) {
                if (r.relType().equals("revoked-by")) {
                    revokedBy.put(r.sourceRef(), r.targetRef());
                }
            }
            for (Map.Entry<String, String> e : revokedBy.entrySet()) {
                RawObject revoked = rawById.get(e.getKey());
                if (revoked == null || revoked.attackId().isEmpty() || !revoked.revoked()) {
                    continue;
                }
                String target = e.getValue();
                for (int hop = 0; hop < MAX_REVOCATION_CHAIN && !byStixId.containsKey(target); hop++) {
                    String next = revokedBy.get(target);
                    if (next == null) {
                        break;
                    }
                    target = next;
                }
                if (byStixId.containsKey(target) && sameFamily(revoked.attackId(), byStixId.get(target))) {
                    replacements.put(revoked.attackId(), target);
                }
            }
        }

        /** ATT&CK ids share numbers across kinds (a deprecated mitigation may carry a T id): match the kind. */
        private static boolean sameFamily(String revokedId, Object replacement) {
            return switch (replacement) {
                case Technique t -> revokedId.startsWith("T") && !revokedId.startsWith("TA");
                case AttackObject o ->
                    switch (o.kind()) {
                        case GROUP -> revokedId.startsWith("G");
                        case MALWARE, TOOL -> revokedId.startsWith("S");
                        case MITIGATION -> revokedId.startsWith("M");
                        case CAMPAIGN -> revokedId.startsWith("C") && !revokedId.startsWith("CA");
                        case DATA_SOURCE -> revokedId.startsWith("DS");
                        case DATA_COMPONENT -> revokedId.startsWith("DC");
                        case DETECTION_STRATEGY -> revokedId.startsWith("DET");
                    };
                default -> false;
            };
        }
    }
}
