/**
 * A pure-Java reader of Windows EVTX event log files: {@link dev.vigil.evtx.EvtxReader} streams the records of a file
 * as {@link dev.vigil.evtx.EvtxRecord}s whose event maps have the shape of {@code evtx_dump}'s JSON output, and reports
 * corrupt chunks and records as {@link dev.vigil.core.Problem}s instead of failing.
 */
package dev.vigil.evtx;
