package dev.vigil.notify;

import java.util.EnumMap;
import java.util.Map;

/** The templates Vigil ships, per {@link TemplateStyle} and {@link MessageLocale}. */
public final class BuiltinTemplates {
    private static final String TITLE_EN = "[{{severity_name}}] {{title}}";
    private static final String TITLE_ZH = "【{{severity_name}}】{{title}}";

    private static final String TEXT_EN = """
            {{kind}}: {{title}}
            Severity: {{severity_name}}
            Tenant: {{tenant}}
            Time: {{time}}
            {{#rule_id}}Rule: {{rule_title}} ({{rule_id}})
            {{/rule_id}}{{#tactics}}ATT&CK tactics: {{tactics}}
            {{/tactics}}{{#techniques}}ATT&CK techniques: {{techniques}}
            {{/techniques}}{{#entities}}Entities:
            {{entities}}
            {{/entities}}{{#details}}Details:
            {{details}}
            {{/details}}{{#link}}Open in Vigil: {{link}}
            {{/link}}""";

    private static final String TEXT_ZH = """
            {{kind}}：{{title}}
            级别：{{severity_name}}
            租户：{{tenant}}
            时间：{{time}}
            {{#rule_id}}规则：{{rule_title}}（{{rule_id}}）
            {{/rule_id}}{{#tactics}}ATT&CK 战术：{{tactics}}
            {{/tactics}}{{#techniques}}ATT&CK 技术：{{techniques}}
            {{/techniques}}{{#entities}}相关实体：
            {{entities}}
            {{/entities}}{{#details}}详情：
            {{details}}
            {{/details}}{{#link}}在 Vigil 中查看：{{link}}
            {{/link}}""";

    private static final String MARKDOWN_EN = """
            ### {{severity_name}} {{kind}}: {{title}}

            **Tenant**: {{tenant}}

            **Time**: {{time}}
            {{#rule_id}}
            **Rule**: {{rule_title}} ({{rule_id}})
            {{/rule_id}}{{#tactics}}
            **ATT&CK tactics**: {{tactics}}
            {{/tactics}}{{#techniques}}
            **ATT&CK techniques**: {{techniques}}
            {{/techniques}}{{#entities}}
            **Entities**:

            {{entities}}
            {{/entities}}{{#details}}
            **Details**:

            {{details}}
            {{/details}}{{#link}}
            [Open in Vigil]({{link}})
            {{/link}}""";

    private static final String MARKDOWN_ZH = """
            ### {{severity_name}}{{kind}}：{{title}}

            **租户**：{{tenant}}

            **时间**：{{time}}
            {{#rule_id}}
            **规则**：{{rule_title}}（{{rule_id}}）
            {{/rule_id}}{{#tactics}}
            **ATT&CK 战术**：{{tactics}}
            {{/tactics}}{{#techniques}}
            **ATT&CK 技术**：{{techniques}}
            {{/techniques}}{{#entities}}
            **相关实体**：

            {{entities}}
            {{/entities}}{{#details}}
            **详情**：

            {{details}}
            {{/details}}{{#link}}
            [在 Vigil 中查看]({{link}})
            {{/link}}""";

    private static final String HTML_EN = """
            <!DOCTYPE html>
            <html lang="en"><body>
            <h2>{{severity_name}} {{kind}}: {{title}}</h2>
            <table>
            <tr><th align="left">Tenant</th><td>{{tenant}}</td></tr>
            <tr><th align="left">Time</th><td>{{time}}</td></tr>
            {{#rule_id}}<tr><th align="left">Rule</th><td>{{rule_title}} ({{rule_id}})</td></tr>
            {{/rule_id}}{{#tactics}}<tr><th align="left">ATT&amp;CK tactics</th><td>{{tactics}}</td></tr>
            {{/tactics}}{{#techniques}}<tr><th align="left">ATT&amp;CK techniques</th><td>{{techniques}}</td></tr>
            {{/techniques}}</table>
            {{#entities}}<h3>Entities</h3>
            {{entities}}
            {{/entities}}{{#details}}<h3>Details</h3>
            {{details}}
            {{/details}}{{#link}}<p><a href="{{link}}">Open in Vigil</a></p>
            {{/link}}</body></html>
            """;

    private static final String HTML_ZH = """
            <!DOCTYPE html>
            <html lang="zh-CN"><body>
            <h2>{{severity_name}}{{kind}}：{{title}}</h2>
            <table>
            <tr><th align="left">租户</th><td>{{tenant}}</td></tr>
            <tr><th align="left">时间</th><td>{{time}}</td></tr>
            {{#rule_id}}<tr><th align="left">规则</th><td>{{rule_title}}（{{rule_id}}）</td></tr>
            {{/rule_id}}{{#tactics}}<tr><th align="left">ATT&amp;CK 战术</th><td>{{tactics}}</td></tr>
            {{/tactics}}{{#techniques}}<tr><th align="left">ATT&amp;CK 技术</th><td>{{techniques}}</td></tr>
            {{/techniques}}</table>
            {{#entities}}<h3>相关实体</h3>
            {{entities}}
            {{/entities}}{{#details}}<h3>详情</h3>
            {{details}}
            {{/details}}{{#link}}<p><a href="{{link}}">在 Vigil 中查看</a></p>
            {{/link}}</body></html>
            """;

    private BuiltinTemplates() {}

    /** The built-in templates of {@code style}, one set per locale. */
    public static Map<MessageLocale, ChannelTemplates> of(TemplateStyle style) {
        Map<MessageLocale, ChannelTemplates> m = new EnumMap<>(MessageLocale.class);
        for (MessageLocale locale : MessageLocale.values()) {
            m.put(locale, of(style, locale));
        }
        return m;
    }

    /** {@code custom} (may be {@code null} or lack locales) completed with the built-in templates of {@code style}. */
    public static Map<MessageLocale, ChannelTemplates> withDefaults(
            TemplateStyle style, Map<MessageLocale, ChannelTemplates> custom) {
        Map<MessageLocale, ChannelTemplates> m = of(style);
        if (custom != null) {
            m.putAll(custom);
        }
        return Map.copyOf(m);
    }

    public static ChannelTemplates of(TemplateStyle style, MessageLocale locale) {
        boolean zh = locale == MessageLocale.ZH_CN;
        String where = "builtin." + style.name().toLowerCase(java.util.Locale.ROOT) + "." + locale.tag();
        String title = zh ? TITLE_ZH : TITLE_EN;
        return switch (style) {
            case TEXT -> ChannelTemplates.compile(where, title, zh ? TEXT_ZH : TEXT_EN, TextFormat.PLAIN, null);
            case CHAT_TEXT -> ChannelTemplates.compile(where, title, zh ? TEXT_ZH : TEXT_EN, TextFormat.DEFANGED, null);
            case MARKDOWN ->
                ChannelTemplates.compile(where, title, zh ? MARKDOWN_ZH : MARKDOWN_EN, TextFormat.MARKDOWN, null);
            case EMAIL ->
                ChannelTemplates.compile(
                        where, "[Vigil] " + title, zh ? TEXT_ZH : TEXT_EN, TextFormat.PLAIN, zh ? HTML_ZH : HTML_EN);
        };
    }
}
