#ifndef CSPAWN_H
#define CSPAWN_H

#include <sys/types.h>

/// One descriptor the child starts with: `target` becomes a copy of `source`, or, when `source`
/// is negative, `path` opened with `flags` (after the new session starts, so that a terminal
/// opened so becomes the controlling one).
struct cspawn_descriptor {
    int target;
    int source;
    const char *path;
    int flags;
};

/// A path of the host shown as another file in the child's mount namespace (a bind mount of
/// `source` over `target`).
struct cspawn_mask {
    const char *target;
    const char *source;
};

/// A directory the child sees as an empty tmpfs, but for `kept` (paths strictly under it),
/// bound back at the same place from descriptors opened before the tmpfs hid them.
struct cspawn_cover {
    const char *path;
    const char *const *kept;
    int kept_count;
};

/// What to start and how.
struct cspawn_request {
    const char *program;
    char *const *argv;
    char *const *envp;
    /// The working directory, or NULL to keep the harness's.
    const char *directory;
    /// An O_PATH or O_DIRECTORY descriptor of a cgroup v2 to start the child in, or -1.
    int cgroup_fd;
    const struct cspawn_descriptor *descriptors;
    int descriptor_count;
    /// Descriptors from this number up are closed in the child.
    int close_from;
    /// Masks and covered directories: with any, the child gets a mount namespace of its own.
    const struct cspawn_mask *masks;
    int mask_count;
    const struct cspawn_cover *covers;
    int cover_count;
    /// Non-zero: the child is the first process (PID 1) of a PID namespace of its own, with a
    /// /proc of that namespace mounted over /proc (it gets a mount namespace then too), so that
    /// no process outside the namespace is reachable through /proc; its mounts are then locked
    /// (a copy of the namespace made from a new user namespace), so that not even root can
    /// unmount them.
    int new_pid_namespace;
};

/// Where the start failed.
enum cspawn_step {
    CSPAWN_STARTED = 0,
    /// clone3 itself (nothing started): `error` says why.
    CSPAWN_CLONE,
    CSPAWN_PRIVATE_MOUNTS,
    CSPAWN_MASK,
    CSPAWN_COVER_MAKE,
    CSPAWN_KEEP_OPEN,
    CSPAWN_COVER_MOUNT,
    CSPAWN_KEEP_MAKE,
    CSPAWN_KEEP_BIND,
    /// Mounting the PID namespace's /proc.
    CSPAWN_PROC,
    /// Moving into the copy of the mount namespace whose mounts are locked.
    CSPAWN_LOCK,
    CSPAWN_SETSID,
    CSPAWN_DESCRIPTOR,
    CSPAWN_CHDIR,
    CSPAWN_EXEC,
};

/// How a start went: the step that failed (`CSPAWN_STARTED` when the program runs), its errno,
/// the index of the mask, cover or descriptor concerned and, for kept paths, which one.
struct cspawn_outcome {
    int step;
    int error;
    int index;
    int kept;
};

/// The exit status of a child that failed while making its mount namespace (before the
/// program started), as the mount script's.
#define CSPAWN_MOUNT_FAILED 125
/// The exit status of a child that failed at another step.
#define CSPAWN_START_FAILED 127

/// Starts `request->program` with the raw clone3 system call: in the cgroup given (born there,
/// never moved), in a mount namespace of its own when there are masks or covers, in a PID
/// namespace of its own (as its PID 1) when asked, in a new
/// session, with every signal at its default and none blocked, with exactly the descriptors
/// given, in the directory given.
/// The calling thread waits until the child has called execve (CLONE_VFORK).
/// Returns the child's PID when the program runs (`outcome->step` is `CSPAWN_STARTED`); -1 when
/// it does not: clone3 refused (`CSPAWN_CLONE`; ENOSYS where the kernel or this architecture
/// has no clone3 here) or the child failed at `outcome->step` (it has been reaped).
pid_t cspawn_start(const struct cspawn_request *request, struct cspawn_outcome *outcome);

#endif
