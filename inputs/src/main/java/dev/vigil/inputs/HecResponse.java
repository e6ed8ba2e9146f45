package dev.vigil.inputs;

/**
 * The answer Splunk's HTTP Event Collector gives, for the lead's endpoint to send as it is.
 *
 * @param httpStatus 200 on success, 400 when the body had no data or an invalid event
 * @param body the JSON body, e.g. {@code {"text":"Success","code":0}} or {@code {"text":"Invalid data
 *     format","code":6,"invalid-event-number":2}} (Splunk numbers events from 0)
 */
public record HecResponse(int httpStatus, String body) {}
