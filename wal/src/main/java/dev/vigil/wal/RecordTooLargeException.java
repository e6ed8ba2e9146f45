package dev.vigil.wal;

/** An append larger than {@link WalConfig#maxRecordBytes()}; nothing of the call was written. */
public final class RecordTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int index;
    private final int size;
    private final int limit;

    RecordTooLargeException(int index, int size, int limit) {
        super("record " + index + " of the append is " + size + " bytes, over the write-ahead log's limit of " + limit
                + " bytes (WalConfig.maxRecordBytes); nothing was appended");
        this.index = index;
        this.size = size;
        this.limit = limit;
    }

    /** The position of the offending record in the appended list (0 for a single append). */
    public int index() {
        return index;
    }

    public int size() {
        return size;
    }

    public int limit() {
        return limit;
    }
}
