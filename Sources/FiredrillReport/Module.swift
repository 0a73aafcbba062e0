enum FiredrillReportModule {}
