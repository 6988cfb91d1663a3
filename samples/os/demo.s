# samples/os/demo.s: the demo kernel and its three user processes, one image.
        .include "kernel.s"
        .include "user.s"
