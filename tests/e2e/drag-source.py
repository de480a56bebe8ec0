#!/usr/bin/env python3
"""A file to drag, as a file manager offers it: a small GTK window whose label can be dragged
(XDND, text/uri-list) onto another window. The desktop end-to-end test drops a configuration
file on PoolPass with it, moving the pointer through X input (xdotool).

Usage: drag-source.py FILE X Y   (the window's top-left corner on the screen)
It prints "ready" once its window is on screen, and exits when the drop is done or on SIGTERM.
"""
import sys
from pathlib import Path

import gi

gi.require_version("Gdk", "3.0")
gi.require_version("Gtk", "3.0")
from gi.repository import Gdk, GLib, Gtk  # noqa: E402

path, x, y = Path(sys.argv[1]).resolve(), int(sys.argv[2]), int(sys.argv[3])

window = Gtk.Window(title="e2e drag source")
window.set_default_size(200, 120)
window.move(x, y)
box = Gtk.EventBox()
box.add(Gtk.Label(label=path.name))
window.add(box)

box.drag_source_set(Gdk.ModifierType.BUTTON1_MASK, [Gtk.TargetEntry.new("text/uri-list", 0, 0)], Gdk.DragAction.COPY)


def data_get(_widget, _context, data, _info, _time):
    data.set_uris([path.as_uri()])


def drag_end(_widget, _context):
    print("dropped", flush=True)
    GLib.timeout_add(200, Gtk.main_quit)


box.connect("drag-data-get", data_get)
box.connect("drag-end", drag_end)
window.connect("destroy", Gtk.main_quit)


def shown(*_):
    print("ready", flush=True)
    return False


window.connect("map-event", shown)
window.show_all()
GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, 15, Gtk.main_quit)
Gtk.main()
