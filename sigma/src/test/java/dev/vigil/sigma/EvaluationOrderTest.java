package dev.vigil.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The reordered condition against the condition as written: same result on every event, cheaper children first. */
class EvaluationOrderTest {
    private static final String[] FIELDS = {"Image", "CommandLine", "User"};
    private static final String[] VALUES = {"a", "ab", "b", "xab", "abx", ""};

    @Test
    void reorderingKeepsTheResult() {
        Random random = new Random(20261126L);
        FieldSlots slots = new FieldSlots();
        for (String f : FIELDS) {
            slots.slot(f);
        }
        EvalContext ctx = new EvalContext(slots);
        for (int round = 0; round < 2_000; round++) {
            Node written = randomNode(random, slots, 3);
            Node ordered = EvaluationOrder.of(written);
            assertThat(EvaluationOrder.cost(ordered)).isEqualTo(EvaluationOrder.cost(written));
            for (int e = 0; e < 20; e++) {
                Event event = randomEvent(random);
                ctx.reset(event);
                boolean expected = written.eval(ctx);
                ctx.reset(event);
                assertThat(ordered.eval(ctx)).as("%s on %s", written, event).isEqualTo(expected);
            }
        }
    }

    @Test
    void cheapTestsFirstAndTheTriggerChildLast() {
        SigmaRuleSet set = RuleTesting.compile("""
                selection_cli:
                  CommandLine|contains: 'sekurlsa::logonpasswords'
                selection_img:
                  Image|endswith: '\\\\rundll32.exe'
                selection_re:
                  User|re: 'adm.n'
                condition: selection_re and selection_cli and selection_img
                """);
        CompiledRule rule = set.index().rule(0);
        assertThat(rule.triggers()).extracting(CompiledRule.Trigger::field).containsExactly("CommandLine");
        Node.And and = (Node.And) rule.matcher();
        // The endswith (a hash lookup) first, then the trigger's contains, which is cheaper than the regex.
        assertThat(and.children())
                .extracting(c -> ((Node.Text) c).field())
                .containsExactly("Image", "CommandLine", "User");

        SigmaRuleSet same = RuleTesting.compile("""
                selection_cli:
                  CommandLine|endswith: 'sekurlsa::logonpasswords'
                selection_img:
                  Image|endswith: '\\\\rundll32.exe'
                condition: selection_cli and selection_img
                """);
        Node.And equalCost = (Node.And) same.index().rule(0).matcher();
        // Equal cost: the trigger child (the longer literal, in CommandLine) goes last.
        assertThat(equalCost.children())
                .extracting(c -> ((Node.Text) c).field())
                .containsExactly("Image", "CommandLine");
    }

    private static Node randomNode(Random random, FieldSlots slots, int depth) {
        int kind = random.nextInt(depth == 0 ? 4 : 7);
        String field = FIELDS[random.nextInt(FIELDS.length)];
        int slot = slots.slot(field);
        String value = VALUES[random.nextInt(VALUES.length - 1)];
        return switch (kind) {
            case 0 -> new Node.Text(slot, field, false, value::equals, new String[] {value}, Node.Text.HASH_COST);
            case 1 ->
                new Node.Text(slot, field, false, t -> t.contains(value), new String[] {value}, Node.Text.SCAN_COST);
            case 2 -> new Node.Exists(slot, field, random.nextBoolean());
            case 3 -> new Node.Keyword(t -> t.endsWith(value), false, new String[] {value});
            case 4 -> new Node.Not(randomNode(random, slots, depth - 1));
            default -> {
                List<Node> children = new ArrayList<>();
                for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                    children.add(randomNode(random, slots, depth - 1));
                }
                Node[] array = children.toArray(new Node[0]);
                yield kind == 5 ? new Node.And(array) : new Node.Or(array);
            }
        };
    }

    private static Event randomEvent(Random random) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String f : FIELDS) {
            if (random.nextInt(4) > 0) {
                fields.put(f, VALUES[random.nextInt(VALUES.length)]);
            }
        }
        return Event.builder().fields(fields).build();
    }
}
