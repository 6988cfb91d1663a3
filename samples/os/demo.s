# samples/os/demo.s: the demo kernel, its process table and its three user
# processes, one image.
        .include "kernel.s"
        .include "procs.s"
        .include "user.s"
