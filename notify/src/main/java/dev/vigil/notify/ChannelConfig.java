package dev.vigil.notify;

import java.time.InstantSource;

/** The configuration of one channel; {@link #create} builds the channel it describes. */
public interface ChannelConfig {
    /** The channel's name, which routes refer to. */
    String name();

    /** The channel this configuration describes; it may hold connections until closed. */
    static NotificationChannel create(ChannelConfig config, InstantSource clock) {
        return switch (config) {
            case WebhookChannel.Config c -> new WebhookChannel(c, clock);
            case EmailChannel.Config c -> new EmailChannel(c, clock);
            case SyslogChannel.Config c -> new SyslogChannel(c);
            case DingTalkChannel.Config c -> new DingTalkChannel(c, clock);
            case WeComChannel.Config c -> new WeComChannel(c, clock);
            case FeishuChannel.Config c -> new FeishuChannel(c, clock);
            default -> throw new IllegalArgumentException("unknown channel configuration " + config.getClass());
        };
    }
}
