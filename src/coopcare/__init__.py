"""coopcare: software that runs a multi-stakeholder care cooperative."""
