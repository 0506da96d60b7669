"""One module per subcommand of the `sangkien` command line."""
