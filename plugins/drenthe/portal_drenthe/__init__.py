"""Region plugin for SWV 22.02 Sterk VO Zuidoost-Drenthe."""
