"""Online rooms (在线庭审/调解/作证室): admission, lobby, host controls, signalling state. Public surface: services.py
(room_open, room_invite, room_admit, room_remove, room_close …), selectors.py, and the entry kinds in entries.py."""
