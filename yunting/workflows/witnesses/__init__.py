"""证人在线作证: eligibility rules a court edits, applications with an objection period, the notice to testify online,
identity checked twice, the oath signed online, isolation through core/rooms, stopping testimony (issue 15)."""
