"""Imported by the sandbox's fork server (kernel.scan.sandbox): sets Django up there, once."""

from yunting.kernel.scan.sandbox import preload

preload()
