"""The camera gateway (`onething camera`): sample a camera's frames, detect trucks
on-platform and post one sighting per truck passing to the API."""
