"""Use-case services. Each public function is one unit of work and returns plain dataclasses."""
