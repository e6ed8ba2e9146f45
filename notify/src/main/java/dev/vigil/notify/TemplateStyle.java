package dev.vigil.notify;

/** The kinds of message a channel sends, each with built-in templates in every {@link MessageLocale}. */
public enum TemplateStyle {
    /** Plain text title and body: webhooks, syslog/CEF. */
    TEXT,
    /** The text templates with values defanged ({@link TextFormat#DEFANGED}): Feishu, whose client auto-links URLs. */
    CHAT_TEXT,
    /** Plain title, markdown body: DingTalk and WeCom. */
    MARKDOWN,
    /** Subject, plain-text body and HTML body: e-mail. */
    EMAIL
}
