package dev.vigil.formats.audit;

import java.util.Map;

/** Names of the x86_64 Linux syscalls that audit rules commonly watch, by number (auditd's raw {@code syscall=}). */
final class Syscalls {
    private static final Map<String, String> X86_64 = Map.ofEntries(
            Map.entry("0", "read"),
            Map.entry("1", "write"),
            Map.entry("2", "open"),
            Map.entry("3", "close"),
            Map.entry("4", "stat"),
            Map.entry("9", "mmap"),
            Map.entry("10", "mprotect"),
            Map.entry("21", "access"),
            Map.entry("41", "socket"),
            Map.entry("42", "connect"),
            Map.entry("43", "accept"),
            Map.entry("44", "sendto"),
            Map.entry("49", "bind"),
            Map.entry("50", "listen"),
            Map.entry("56", "clone"),
            Map.entry("57", "fork"),
            Map.entry("58", "vfork"),
            Map.entry("59", "execve"),
            Map.entry("62", "kill"),
            Map.entry("63", "uname"),
            Map.entry("76", "truncate"),
            Map.entry("77", "ftruncate"),
            Map.entry("82", "rename"),
            Map.entry("83", "mkdir"),
            Map.entry("84", "rmdir"),
            Map.entry("85", "creat"),
            Map.entry("86", "link"),
            Map.entry("87", "unlink"),
            Map.entry("88", "symlink"),
            Map.entry("90", "chmod"),
            Map.entry("91", "fchmod"),
            Map.entry("92", "chown"),
            Map.entry("93", "fchown"),
            Map.entry("94", "lchown"),
            Map.entry("101", "ptrace"),
            Map.entry("105", "setuid"),
            Map.entry("106", "setgid"),
            Map.entry("113", "setreuid"),
            Map.entry("117", "setresuid"),
            Map.entry("133", "mknod"),
            Map.entry("157", "prctl"),
            Map.entry("165", "mount"),
            Map.entry("166", "umount2"),
            Map.entry("169", "reboot"),
            Map.entry("170", "sethostname"),
            Map.entry("175", "init_module"),
            Map.entry("176", "delete_module"),
            Map.entry("188", "setxattr"),
            Map.entry("189", "lsetxattr"),
            Map.entry("190", "fsetxattr"),
            Map.entry("197", "removexattr"),
            Map.entry("235", "utimes"),
            Map.entry("257", "openat"),
            Map.entry("258", "mkdirat"),
            Map.entry("259", "mknodat"),
            Map.entry("260", "fchownat"),
            Map.entry("263", "unlinkat"),
            Map.entry("264", "renameat"),
            Map.entry("268", "fchmodat"),
            Map.entry("280", "utimensat"),
            Map.entry("288", "accept4"),
            Map.entry("313", "finit_module"),
            Map.entry("316", "renameat2"),
            Map.entry("319", "memfd_create"),
            Map.entry("321", "bpf"),
            Map.entry("322", "execveat"));

    private Syscalls() {}

    /** The name of x86_64 syscall {@code number}, or {@code null} when not in the table. */
    static String x86_64(String number) {
        return X86_64.get(number);
    }
}
