/// Marker so the module is non-empty until its first type lands.
enum FiredrillDriversModule {}
