"""Files on disk: where things live, reading them safely, the cache of validated briefings, the settings."""
