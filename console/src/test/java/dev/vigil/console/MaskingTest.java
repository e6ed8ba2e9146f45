package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaskingTest {
    @Test
    void aFeedUrlKeepsItsHostAndPathButLosesCredentialsQueryAndFragment() {
        assertThat(Masking.url("https://feeds.example/feodo/ipblocklist.csv"))
                .isEqualTo("https://feeds.example/feodo/ipblocklist.csv");
        assertThat(Masking.url("https://user:pw@feeds.example:8443/x.json?auth-key=SECRET#frag"))
                .isEqualTo("https://…@feeds.example:8443/x.json?…");
        assertThat(Masking.url("http://intel.example")).isEqualTo("http://intel.example");
    }

    @Test
    void aChannelUrlShowsOnlyItsOrigin() {
        assertThat(Masking.origin("https://open.feishu.cn/open-apis/bot/v2/hook/SECRET"))
                .isEqualTo("https://open.feishu.cn/…");
        assertThat(Masking.origin("https://oapi.dingtalk.com/robot/send?access_token=SECRET"))
                .isEqualTo("https://oapi.dingtalk.com/…");
        assertThat(Masking.origin("https://siem.example:8088/")).isEqualTo("https://siem.example:8088");
    }

    @Test
    void somethingThatIsNotAnAbsoluteUrlIsHiddenWhole() {
        for (String bad :
                new String[] {null, "", "SECRET", "/relative/SECRET", "::not a uri SECRET", "mailto:SECRET"}) {
            assertThat(Masking.url(bad)).as(String.valueOf(bad)).isEqualTo(Masking.HIDDEN);
            assertThat(Masking.origin(bad)).as(String.valueOf(bad)).isEqualTo(Masking.HIDDEN);
        }
    }
}
