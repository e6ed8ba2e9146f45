/**
 * Sigma correlation rules (meta rules): parsing ({@link dev.vigil.sigma.correlation.CorrelationRule}), evaluation over
 * an event stream ({@link dev.vigil.sigma.correlation.CorrelationEngine}) and the state it keeps ({@link
 * dev.vigil.sigma.correlation.CorrelationStateStore}, {@link
 * dev.vigil.sigma.correlation.InMemoryCorrelationStateStore}).
 *
 * <p>Typical use by a detector:
 *
 * <pre>{@code
 * CorrelationEngine engine = new CorrelationEngine(correlations, new InMemoryCorrelationStateStore(problems),
 *         (rule, field) -> List.of(field), problems);
 * // check engine.detectionRuleReferences() against the loaded detection rules
 * for (Event event : events) {
 *     List<RuleRef> matched = ...; // the detection rules that matched the event
 *     for (RuleRef r : matched) {
 *         if (!engine.suppressesStandalone(r)) {
 *             emit(detection of r);
 *         }
 *     }
 *     engine.process(event, matched).forEach(this::emit);
 * }
 * engine.reportSummary();
 * }</pre>
 *
 * <p>No I/O and no static mutable state: an engine and its store belong to one thread (one Flink subtask).
 */
package dev.vigil.sigma.correlation;
