/* Powering the machine off, with an exit status QEMU passes on to its caller. */
#ifndef DEV_POWER_H
#define DEV_POWER_H

void power_off(int status) __attribute__((noreturn));

#endif
