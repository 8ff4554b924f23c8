"""The command line: argument parsing, commands and reporters. Nothing imports it."""
