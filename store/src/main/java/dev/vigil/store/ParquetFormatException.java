package dev.vigil.store;

/**
 * A Parquet file that is not one {@link ParquetFileWriter} can append: written by another writer or for another schema,
 * compressed, or damaged. Checked, so that a caller decides what to do instead (the store merges such files with
 * DuckDB).
 */
final class ParquetFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    ParquetFormatException(String message) {
        super(message);
    }
}
