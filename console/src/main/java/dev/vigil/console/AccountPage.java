package dev.vigil.console;

/** The signed-in user's own settings: language (stored, shown in {@code <html lang>}) and password. */
public final class AccountPage implements ConsolePage {
    public record Model(String notice, String error) {}

    @Override
    public void register(ConsoleRouter router) {
        router.get("/account", Access.VIEW, r -> r.render("account.jte", "nav.account", "account", new Model("", "")));
        router.post("/account/language", Access.VIEW, this::language);
        router.post("/account/password", Access.VIEW, this::password);
    }

    private void language(PageRequest r) {
        String tag = r.form("language", 16);
        if (!Messages.LANGUAGES.contains(tag)) {
            throw new ConsoleException(400, "unknown language '" + tag + "'");
        }
        r.auth().accounts().setLocale(r.user().user().name(), tag);
        r.audit("user.language", r.user().user().name(), tag);
        r.redirect("/account");
    }

    private void password(PageRequest r) {
        String current = r.form("current", Passwords.MAX_PASSWORD_CHARS);
        String replacement = r.form("password", Passwords.MAX_PASSWORD_CHARS);
        if (!replacement.equals(r.form("confirm", Passwords.MAX_PASSWORD_CHARS))) {
            r.render(
                    "account.jte",
                    "nav.account",
                    "account",
                    new Model("", r.messages().t("account.error.mismatch")));
            return;
        }
        try {
            Passwords.checkLength(replacement);
            r.auth().changePassword(r.user(), current, replacement, r.client());
        } catch (IllegalArgumentException e) {
            r.render("account.jte", "nav.account", "account", new Model("", e.getMessage()));
            return;
        }
        r.render("account.jte", "nav.account", "account", new Model(r.messages().t("account.password.changed"), ""));
    }
}
