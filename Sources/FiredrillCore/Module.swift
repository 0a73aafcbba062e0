enum FiredrillCoreModule {}
