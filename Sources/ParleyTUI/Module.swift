public enum ParleyTUIModule {}
