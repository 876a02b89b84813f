// The one piece of the harness that runs between a fork and an exec, in C: the child shares the
// harness's memory (CLONE_VM) while other threads of the harness run, so it may only make
// system calls on memory prepared before the clone.
#define _GNU_SOURCE
#include "cspawn.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

/// The child's stack: enough for `make_directories`' path buffer and a few frames.
#define CHILD_STACK_SIZE (64 * 1024)
/// The stack of the short-lived process that makes the locked copy of the mount namespace.
#define LOCK_STACK_SIZE (16 * 1024)

struct child_context {
    const struct cspawn_request *request;
    struct cspawn_outcome *outcome;
    /// The lowest address of `LOCK_STACK_SIZE` bytes for `lock_mounts`' process.
    void *lock_stack;
};

static long clone3_run(struct clone_args *args, int (*function)(void *), void *argument);

/// Records where the child failed (in the parent's memory) and ends it.
static int fail(struct child_context *context, int step, int index, int kept, int status) {
    context->outcome->step = step;
    context->outcome->error = errno;
    context->outcome->index = index;
    context->outcome->kept = kept;
    _exit(status);
    return status;
}

/// `mkdir -p`: every missing directory of `path`, mode 0755.
static int make_directories(const char *path) {
    char buffer[PATH_MAX];
    size_t length = strlen(path);
    if (length == 0 || length >= sizeof buffer) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(buffer, path, length + 1);
    for (size_t at = 1; at <= length; at++) {
        if (buffer[at] != '/' && buffer[at] != '\0') continue;
        char saved = buffer[at];
        buffer[at] = '\0';
        if (mkdir(buffer, 0755) != 0 && errno != EEXIST) return -1;
        buffer[at] = saved;
    }
    struct stat info;
    if (stat(path, &info) != 0) return -1;
    if (!S_ISDIR(info.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

/// "/proc/self/fd/N" for descriptor `fd`, written into `buffer` (at least 32 bytes).
static void descriptor_path(int fd, char *buffer) {
    static const char prefix[] = "/proc/self/fd/";
    char digits[12];
    int count = 0;
    unsigned value = (unsigned)fd;
    do {
        digits[count++] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    memcpy(buffer, prefix, sizeof prefix - 1);
    char *end = buffer + sizeof prefix - 1;
    while (count > 0) *end++ = digits[--count];
    *end = '\0';
}

/// One covered directory: made if missing, its kept paths opened, a tmpfs over it, and each
/// kept path bound back from its descriptor.
static void cover(struct child_context *context, int index) {
    const struct cspawn_cover *cover = &context->request->covers[index];
    struct stat info;
    if ((stat(cover->path, &info) != 0 || !S_ISDIR(info.st_mode)) && make_directories(cover->path) != 0)
        fail(context, CSPAWN_COVER_MAKE, index, 0, CSPAWN_MOUNT_FAILED);
    int kept[cover->kept_count > 0 ? cover->kept_count : 1];
    for (int k = 0; k < cover->kept_count; k++) {
        kept[k] = open(cover->kept[k], O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (kept[k] < 0) fail(context, CSPAWN_KEEP_OPEN, index, k, CSPAWN_MOUNT_FAILED);
    }
    if (mount("transcript-covered", cover->path, "tmpfs", 0, "mode=0755") != 0)
        fail(context, CSPAWN_COVER_MOUNT, index, 0, CSPAWN_MOUNT_FAILED);
    for (int k = 0; k < cover->kept_count; k++) {
        char source[32];
        descriptor_path(kept[k], source);
        if (make_directories(cover->kept[k]) != 0) fail(context, CSPAWN_KEEP_MAKE, index, k, CSPAWN_MOUNT_FAILED);
        if (mount(source, cover->kept[k], NULL, MS_BIND, NULL) != 0)
            fail(context, CSPAWN_KEEP_BIND, index, k, CSPAWN_MOUNT_FAILED);
        close(kept[k]);
    }
}

/// The child's mount namespace: nothing propagates back to the host, then the masks and the
/// covered directories.
static void make_mounts(struct child_context *context) {
    const struct cspawn_request *request = context->request;
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
        fail(context, CSPAWN_PRIVATE_MOUNTS, 0, 0, CSPAWN_MOUNT_FAILED);
    for (int index = 0; index < request->mask_count; index++) {
        if (mount(request->masks[index].source, request->masks[index].target, NULL, MS_BIND, NULL) != 0)
            fail(context, CSPAWN_MASK, index, 0, CSPAWN_MOUNT_FAILED);
    }
    for (int index = 0; index < request->cover_count; index++) cover(context, index);
    // Last: the covers above open their kept paths through the harness's /proc.
    if (request->new_pid_namespace && mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
        fail(context, CSPAWN_PROC, 0, 0, CSPAWN_MOUNT_FAILED);
}

/// clone3's arguments for a child that shares the caller's memory, the caller waiting until it
/// execs or exits (CLONE_VM | CLONE_VFORK, and `flags`), on `size` bytes of stack from `stack`.
static struct clone_args vfork_arguments(uint64_t flags, void *stack, size_t size) {
    struct clone_args args;
    memset(&args, 0, sizeof args);
    args.flags = CLONE_VM | CLONE_VFORK | flags;
    args.exit_signal = SIGCHLD;
    args.stack = (uint64_t)(uintptr_t)stack;
    args.stack_size = size;
    return args;
}

struct namespace_holder {
    int fd;
    int error;
};

/// In a new user and mount namespace: a descriptor of that mount namespace, in the descriptor
/// table it shares with the child.
static int open_own_mount_namespace(void *argument) {
    struct namespace_holder *holder = argument;
    holder->fd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
    holder->error = holder->fd < 0 ? errno : 0;
    return 0;
}

/// Moves the child into a copy of its mount namespace made by a process in a new user namespace:
/// the kernel locks every mount of such a copy (MNT_LOCKED), so that even root cannot unmount
/// the covers, masks and /proc, move them, or bind a parent without them to see what they hide.
/// The child itself stays in the harness's user namespace, with all its capabilities. Where the
/// kernel has no user namespaces to give (disabled, or none left), the mounts stay as they are.
static void lock_mounts(struct child_context *context) {
    struct namespace_holder holder = {-1, 0};
    struct clone_args args = vfork_arguments(CLONE_FILES | CLONE_NEWUSER | CLONE_NEWNS, context->lock_stack, LOCK_STACK_SIZE);
    long pid = clone3_run(&args, open_own_mount_namespace, &holder);
    if (pid == -EINVAL || pid == -ENOSPC || pid == -EPERM || pid == -ENOSYS || pid == -EUSERS) return;
    if (pid < 0) {
        errno = (int)-pid;
        fail(context, CSPAWN_LOCK, 0, 0, CSPAWN_MOUNT_FAILED);
    }
    while (wait4((pid_t)pid, NULL, __WALL, NULL) < 0 && errno == EINTR) {}
    if (holder.fd < 0) {
        errno = holder.error;
        fail(context, CSPAWN_LOCK, 0, 0, CSPAWN_MOUNT_FAILED);
    }
    if (setns(holder.fd, CLONE_NEWNS) != 0) fail(context, CSPAWN_LOCK, 0, 0, CSPAWN_MOUNT_FAILED);
    close(holder.fd);
}

/// The descriptors the program starts with, in order, as posix_spawn's file actions would.
static void move_descriptors(struct child_context *context) {
    const struct cspawn_request *request = context->request;
    for (int index = 0; index < request->descriptor_count; index++) {
        const struct cspawn_descriptor *end = &request->descriptors[index];
        int source = end->source;
        if (source < 0) {
            source = open(end->path, end->flags, 0);
            if (source < 0) fail(context, CSPAWN_DESCRIPTOR, index, 0, CSPAWN_START_FAILED);
            if (source == end->target) continue;
        }
        if (source == end->target) {
            // A descriptor kept at its number loses close-on-exec, as posix_spawn's dup2 action does.
            if (fcntl(source, F_SETFD, 0) < 0) fail(context, CSPAWN_DESCRIPTOR, index, 0, CSPAWN_START_FAILED);
        } else if (dup2(source, end->target) < 0) {
            fail(context, CSPAWN_DESCRIPTOR, index, 0, CSPAWN_START_FAILED);
        }
        if (end->source < 0) close(source);
    }
    if (request->close_from >= 0) syscall(SYS_close_range, (unsigned)request->close_from, ~0U, 0);
}

/// The child, on its own stack, sharing the parent's memory until execve.
static int child_main(void *argument) {
    struct child_context *context = argument;
    const struct cspawn_request *request = context->request;
    // The kernel's sigaction, all zero: SIG_DFL, no flags, nothing blocked. The raw call also
    // reaches the signals the C library keeps for itself (32 and 33 in glibc).
    unsigned long defaults[4] = {0, 0, 0, 0};
    for (int signal = 1; signal < _NSIG; signal++) {
        if (signal != SIGKILL && signal != SIGSTOP) syscall(SYS_rt_sigaction, signal, defaults, NULL, _NSIG / 8);
    }
    if (request->mask_count > 0 || request->cover_count > 0 || request->new_pid_namespace) make_mounts(context);
    if (request->new_pid_namespace) lock_mounts(context);
    if (setsid() < 0) fail(context, CSPAWN_SETSID, 0, 0, CSPAWN_START_FAILED);
    move_descriptors(context);
    if (request->directory != NULL && chdir(request->directory) != 0)
        fail(context, CSPAWN_CHDIR, 0, 0, CSPAWN_START_FAILED);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execve(request->program, request->argv, request->envp);
    return fail(context, CSPAWN_EXEC, 0, 0, CSPAWN_START_FAILED);
}

/// clone3 with the child running `function(argument)` on the stack `args` names, then exiting
/// with its result; the parent gets the PID, or -errno. Only where written for the architecture.
static long clone3_run(struct clone_args *args, int (*function)(void *), void *argument) {
#if defined(__x86_64__)
    register long result __asm__("rax") = SYS_clone3;
    register void *function_register __asm__("r12") = (void *)function;
    register void *argument_register __asm__("r13") = argument;
    __asm__ volatile(
        "syscall\n\t"
        "test %%rax, %%rax\n\t"
        "jnz 1f\n\t"
        "xor %%ebp, %%ebp\n\t"
        "mov %%r13, %%rdi\n\t"
        "call *%%r12\n\t"
        "mov %%eax, %%edi\n\t"
        "mov $60, %%eax\n\t"  // SYS_exit
        "syscall\n\t"
        "hlt\n\t"
        "1:\n\t"
        : "+r"(result)
        : "D"(args), "S"(sizeof *args), "r"(function_register), "r"(argument_register)
        : "rcx", "r11", "memory", "cc");
    return result;
#elif defined(__aarch64__)
    register long x0 __asm__("x0") = (long)args;
    register long x1 __asm__("x1") = (long)sizeof *args;
    register long x8 __asm__("x8") = SYS_clone3;
    register void *x19 __asm__("x19") = (void *)function;
    register void *x20 __asm__("x20") = argument;
    __asm__ volatile(
        "svc #0\n\t"
        "cbnz x0, 1f\n\t"
        "mov x29, xzr\n\t"
        "mov x0, x20\n\t"
        "blr x19\n\t"
        "mov x8, #93\n\t"  // SYS_exit
        "svc #0\n\t"
        "1:\n\t"
        : "+r"(x0)
        : "r"(x1), "r"(x8), "r"(x19), "r"(x20)
        : "x30", "memory", "cc");
    return x0;
#else
    (void)args;
    (void)function;
    (void)argument;
    return -ENOSYS;
#endif
}

pid_t cspawn_start(const struct cspawn_request *request, struct cspawn_outcome *outcome) {
    memset(outcome, 0, sizeof *outcome);
    void *stack = malloc(LOCK_STACK_SIZE + CHILD_STACK_SIZE);
    if (stack == NULL) {
        outcome->step = CSPAWN_CLONE;
        outcome->error = ENOMEM;
        return -1;
    }
    struct child_context context = {request, outcome, stack};
    struct clone_args args = vfork_arguments(0, (char *)stack + LOCK_STACK_SIZE, CHILD_STACK_SIZE);
    if (request->cgroup_fd >= 0) {
        args.flags |= CLONE_INTO_CGROUP;
        args.cgroup = (uint64_t)request->cgroup_fd;
    }
    if (request->mask_count > 0 || request->cover_count > 0) args.flags |= CLONE_NEWNS;
    if (request->new_pid_namespace) args.flags |= CLONE_NEWNS | CLONE_NEWPID;

    // No handler of the harness may run in the child before it has reset them all.
    sigset_t all, previous;
    memset(&all, 0xff, sizeof all);
    syscall(SYS_rt_sigprocmask, SIG_BLOCK, &all, &previous, _NSIG / 8);
    int saved = errno;
    long pid = clone3_run(&args, child_main, &context);
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &previous, NULL, _NSIG / 8);
    errno = saved;
    free(stack);
    if (pid < 0) {
        outcome->step = CSPAWN_CLONE;
        outcome->error = (int)-pid;
        return -1;
    }
    if (outcome->step != CSPAWN_STARTED) {
        int status;
        while (waitpid((pid_t)pid, &status, 0) < 0 && errno == EINTR) {}
        return -1;
    }
    return (pid_t)pid;
}
