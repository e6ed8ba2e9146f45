package dev.vigil.formats.windows;

import dev.vigil.formats.text.TextContext;
import dev.vigil.formats.text.TextFormat;
import dev.vigil.formats.text.TextParser;
import java.util.List;

/**
 * Windows events as XML, as Windows Event Forwarding, NXLog or {@code wevtutil qe /f:xml} write them: {@code <Event
 * xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System>...</System><EventData><Data
 * Name="...">...</Data></EventData></Event>}, one per line or spread over lines, several per file, possibly inside
 * {@code <Events>}. Detection: 90 when a sample line starts with {@code <Event } , {@code <Event>} or {@code <Events}
 * (after an optional XML declaration), or a line holds {@code <Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"}. See {@link WindowsXmlParser}.
 */
public final class WindowsXmlFormat implements TextFormat {
    @Override
    public String name() {
        return "winxml";
    }

    @Override
    public String description() {
        return "Windows event XML (<Event xmlns=...win/2004/08/events/event>, WEF/NXLog/wevtutil)";
    }

    @Override
    public int score(List<String> sample) {
        for (String line : sample) {
            String t = line.strip();
            if (t.startsWith("<?xml")) {
                int end = t.indexOf("?>");
                t = end < 0 ? "" : t.substring(end + 2).strip();
            }
            if (t.startsWith("<Event ")
                    || t.startsWith("<Event>")
                    || t.startsWith("<Events")
                    || t.contains("<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"")) {
                return 90;
            }
        }
        return 0;
    }

    @Override
    public TextParser newParser(TextContext context) {
        return new WindowsXmlParser(context);
    }
}
