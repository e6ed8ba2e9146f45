package dev.vigil.attack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** Builds small STIX bundles in the ATT&CK layout for tests that need exact control over the objects. */
final class TestBundles {
    private final ObjectMapper json = new ObjectMapper();
    private final ObjectNode bundle = json.createObjectNode();
    private final ArrayNode objects;
    private final ArrayNode tacticRefs;

    TestBundles() {
        bundle.put("type", "bundle").put("id", "bundle--00000000-0000-4000-8000-000000000000");
        objects = bundle.putArray("objects");
        ObjectNode collection = objects.addObject();
        collection
                .put("type", "x-mitre-collection")
                .put("id", "x-mitre-collection--1")
                .put("name", "Test");
        collection.put("x_mitre_version", "18.1");
        ObjectNode matrix = objects.addObject();
        matrix.put("type", "x-mitre-matrix").put("id", "x-mitre-matrix--1").put("name", "Test matrix");
        tacticRefs = matrix.putArray("tactic_refs");
    }

    TestBundles tactic(String attackId, String name, String shortname) {
        String id = "x-mitre-tactic--" + attackId;
        ObjectNode t = withAttackId(objects.addObject(), "x-mitre-tactic", id, attackId, name);
        t.put("x_mitre_shortname", shortname);
        tacticRefs.add(id);
        return this;
    }

    TestBundles technique(String attackId, String name, String... tactics) {
        ObjectNode t =
                withAttackId(objects.addObject(), "attack-pattern", "attack-pattern--" + attackId, attackId, name);
        ArrayNode phases = t.putArray("kill_chain_phases");
        for (String tactic : tactics) {
            phases.addObject().put("kill_chain_name", "mitre-attack").put("phase_name", tactic);
        }
        t.putArray("x_mitre_platforms").add("Windows");
        int dot = attackId.indexOf('.');
        t.put("x_mitre_is_subtechnique", dot > 0);
        if (dot > 0) {
            relationship(
                    "subtechnique-of", "attack-pattern--" + attackId, "attack-pattern--" + attackId.substring(0, dot));
        }
        return this;
    }

    TestBundles revokedTechnique(String attackId, String replacedBy) {
        ObjectNode t =
                withAttackId(objects.addObject(), "attack-pattern", "attack-pattern--" + attackId, attackId, "Old");
        t.put("revoked", true);
        relationship("revoked-by", "attack-pattern--" + attackId, "attack-pattern--" + replacedBy);
        return this;
    }

    TestBundles object(String type, String attackId, String name) {
        withAttackId(objects.addObject(), type, type + "--" + attackId, attackId, name);
        return this;
    }

    TestBundles relationship(String type, String source, String target) {
        objects.addObject()
                .put("type", "relationship")
                .put("id", "relationship--" + objects.size())
                .put("relationship_type", type)
                .put("source_ref", source)
                .put("target_ref", target);
        return this;
    }

    /** Adds an object exactly as given, for broken ones. */
    TestBundles raw(String objectJson) {
        try {
            objects.add(json.readTree(objectJson));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
        return this;
    }

    byte[] bytes() {
        return bundle.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Enterprise-like tactics Execution, Persistence, Privilege Escalation in that order. */
    static TestBundles withThreeTactics() {
        return new TestBundles()
                .tactic("TA0002", "Execution", "execution")
                .tactic("TA0003", "Persistence", "persistence")
                .tactic("TA0004", "Privilege Escalation", "privilege-escalation");
    }

    private static ObjectNode withAttackId(ObjectNode o, String type, String id, String attackId, String name) {
        o.put("type", type).put("id", id).put("name", name).put("spec_version", "2.1");
        o.putArray("external_references")
                .addObject()
                .put("source_name", "mitre-attack")
                .put("external_id", attackId)
                .put("url", "https://attack.mitre.org/x/" + attackId);
        return o;
    }
}
