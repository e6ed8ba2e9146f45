package dev.vigil.formats;

/**
 * What reading one file gave.
 *
 * @param source the file name as events and problems name it
 * @param format the format the file was read as, or {@code null} when it was not recognised
 * @param compressed whether the file was gzip-compressed
 * @param events the events passed to the consumer
 * @param problems the problems reported for the file
 */
public record ReadSummary(String source, EventFormat format, boolean compressed, long events, long problems) {}
